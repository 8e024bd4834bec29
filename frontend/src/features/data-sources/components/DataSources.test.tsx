import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockGraphQL, userError } from '@/testing/graphql-mock';
import { renderApp } from '@/testing/render';
import { credential, dataSources, members, viewer } from '@/testing/fixtures';

const warehouse = {
  id: 'ds2',
  name: 'Warehouse',
  type: 'POSTGRES',
  params: { host: 'db.internal', port: 5432, database: 'analytics', user: 'metrics', ssl: true },
  hasPassword: true,
  createdAt: '2026-11-21T09:00:00Z',
};

describe('data sources', () => {
  it('lists data sources, and shows an empty state when there are none', async () => {
    const api = mockGraphQL({ Viewer: () => ({ viewer }), DataSources: () => ({ team: { id: 't1', dataSources: [warehouse] } }) });
    const { unmount } = renderApp('/data-sources');
    const card = await screen.findByRole('article', { name: 'Data source Warehouse' });
    expect(within(card).getByText('db.internal:5432/analytics')).toBeInTheDocument();
    unmount();
    api.set('DataSources', () => ({ team: { id: 't1', dataSources: [] } }));
    renderApp('/data-sources');
    expect(await screen.findByText('No data sources yet')).toBeInTheDocument();
  });

  it('asks for the fields of the chosen type and creates it', async () => {
    const api = mockGraphQL({
      Viewer: () => ({ viewer }),
      DataSources: () => ({ team: { id: 't1', dataSources: [] } }),
      CreateDataSource: () => ({ createDataSource: { __typename: 'DataSource', id: 'ds9', name: 'Shop', type: 'MYSQL', params: {} } }),
    });
    const { user } = renderApp('/data-sources');
    await user.click(await screen.findByRole('button', { name: 'Add data source' }));
    const form = await screen.findByRole('form', { name: 'New data source' });
    await user.click(within(form).getByText('SQLite'));
    expect(within(form).getByRole('textbox', { name: /File path/ })).toBeInTheDocument();
    expect(within(form).queryByRole('textbox', { name: /Host/ })).not.toBeInTheDocument();

    await user.click(within(form).getByText('MySQL / MariaDB'));
    expect(within(form).getByRole('textbox', { name: /Port/ })).toHaveValue('3306');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await within(form).findByText('Give the data source a name')).toBeInTheDocument();
    expect(api.callsOf('CreateDataSource')).toHaveLength(0);

    await user.type(within(form).getByRole('textbox', { name: /Name/ }), 'Shop');
    await user.type(within(form).getByRole('textbox', { name: /^Database/ }), 'shop');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: 'New data source' })).not.toBeInTheDocument());
    expect(api.callsOf('CreateDataSource')).toEqual([
      {
        input: {
          teamId: 't1',
          name: 'Shop',
          type: 'MYSQL',
          params: { host: '127.0.0.1', port: 3306, database: 'shop', user: '', ssl: false },
        },
      },
    ]);
  });

  it('edits without sending a password unless one is typed, and shows refusals at their field', async () => {
    const api = mockGraphQL({
      Viewer: () => ({ viewer }),
      DataSources: () => ({ team: { id: 't1', dataSources: [warehouse] } }),
      UpdateDataSource: () => ({ updateDataSource: userError('Host not found', 'host', 'HOST_UNREACHABLE') }),
    });
    const { user } = renderApp('/data-sources');
    await user.click(await screen.findByRole('button', { name: 'Actions for Warehouse' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Edit' }));
    const form = await screen.findByRole('form', { name: 'Edit data source' });
    expect(within(form).getByLabelText(/Password/)).toHaveValue('');
    expect(within(form).getByLabelText(/Password/)).toHaveAttribute('placeholder', 'Unchanged');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await within(form).findByText('Host not found')).toBeInTheDocument();
    expect(api.callsOf('UpdateDataSource')).toEqual([
      {
        input: {
          id: 'ds2',
          name: 'Warehouse',
          params: { host: 'db.internal', port: 5432, database: 'analytics', user: 'metrics', ssl: true },
        },
      },
    ]);
  });

  it('deletes only after confirmation', async () => {
    const api = mockGraphQL({
      Viewer: () => ({ viewer }),
      DataSources: () => ({ team: { id: 't1', dataSources: [warehouse] } }),
      DeleteDataSource: () => ({ deleteDataSource: { __typename: 'DataSource', id: 'ds2' } }),
    });
    const { user } = renderApp('/data-sources');
    await user.click(await screen.findByRole('button', { name: 'Actions for Warehouse' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete data source' });
    expect(dialog).toHaveTextContent('No SQL API credential uses it.');
    expect(api.callsOf('DeleteDataSource')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(api.callsOf('DeleteDataSource')).toEqual([{ input: { id: 'ds2' } }]));
  });

  it('shows health, models and credentials on each card, and names what a delete stops', async () => {
    const withModels = { ...warehouse, models: { id: 'v2', number: 2, createdAt: '2026-11-20T09:00:00Z', cubes: [{ name: 'orders' }, { name: 'customers' }] } };
    const cred = { ...credential({ dataSourceIndex: 1, memberIndex: 1 }), openSessions: 2 };
    const api = mockGraphQL({
      Viewer: () => ({ viewer }),
      DataSources: () => ({ team: { id: 't1', dataSources: [withModels] } }),
      SqlCredentials: () => ({ sqlCredentials: [cred], team: { id: 't1', members, dataSources } }),
      CheckConnection: () => ({ checkConnection: { __typename: 'ConnectionCheck', ok: true, message: 'Connection works.' } }),
    });
    const { user } = renderApp('/t/t1/data-sources');
    const card = await screen.findByRole('article', { name: 'Data source Warehouse' });
    expect(card).toHaveTextContent('Not checked yet');
    expect(within(card).getByRole('button', { name: 'Models of Warehouse: version 2, 2 cubes' })).toBeInTheDocument();
    expect(await within(card).findByText(/1 credential$/)).toBeInTheDocument();
    await user.click(within(card).getByRole('button', { name: 'Test connection to Warehouse' }));
    expect(await within(card).findByText('Healthy')).toBeInTheDocument();
    expect(card).toHaveTextContent(/Connection works\. · checked \d\d:\d\d:\d\d/);
    expect(api.callsOf('CheckConnection')).toEqual([{ input: { dataSourceId: 'ds2' } }]);

    await user.click(within(card).getByRole('button', { name: 'Actions for Warehouse' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete data source' });
    const list = within(dialog).getByRole('list', { name: 'What stops working' });
    expect(list).toHaveTextContent('credential 4x4qg8ei76 of Bob (2 open sessions)');
    expect(dialog).toHaveTextContent('1 member lose SQL access to it (Bob); 2 open sessions are closed.');
  });
});
