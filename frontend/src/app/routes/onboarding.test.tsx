import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { credential, members, secret, viewer } from '@/testing/fixtures';
import { mockGraphQL } from '@/testing/graphql-mock';
import { renderApp } from '@/testing/render';

const demo = { __typename: 'DataSource', id: 'ds1', name: 'Demo e-commerce', type: 'DUCKDB', params: { path: 'demo.duckdb' } };
const tables = [
  { schema: 'main', name: 'orders', columns: [{ name: 'id', type: 'INTEGER' }, { name: 'status', type: 'VARCHAR' }] },
  { schema: 'main', name: 'customers', columns: [{ name: 'id', type: 'INTEGER' }] },
];

function onboardingApi() {
  return mockGraphQL({
    Viewer: () => ({ viewer }),
    CreateDemoDataSource: () => ({ createDemoDataSource: demo }),
    DataSourceTables: () => ({ dataSourceTables: tables }),
    GenerateModels: () => ({ generateModels: { __typename: 'ModelVersion', id: 'v1', number: 1, files: [] } }),
    TeamMembers: () => ({ team: { id: 't1', name: 'Ada personal', members, invitations: [] } }),
    CreateSqlCredential: () => ({ createSqlCredential: secret('one-time-pass', credential()) }),
  });
}

describe('onboarding', () => {
  it('walks demo data → models → SQL API access → finish', async () => {
    const api = onboardingApi();
    const { user, router } = renderApp('/onboarding');
    await user.click(await screen.findByRole('button', { name: 'Use demo data' }));

    // Models step: tables with their columns, all selected by default.
    expect(await screen.findByText('main.orders')).toBeInTheDocument();
    expect(screen.getByText('2 of 2 tables selected')).toBeInTheDocument();
    await user.click(screen.getByRole('checkbox', { name: 'Select main.customers' }));
    await user.click(screen.getByRole('button', { name: 'Generate models' }));
    expect(api.callsOf('GenerateModels')).toEqual([
      { input: { dataSourceId: 'ds1', overwrite: false, tables: [{ schema: 'main', name: 'orders' }] } },
    ]);

    // SQL API step: the credential is created once, for the viewer's membership.
    expect(await screen.findByLabelText('Password')).toHaveValue('••••••••');
    expect(api.callsOf('CreateSqlCredential')).toEqual([{ input: { memberId: 'm1', dataSourceId: 'ds1' } }]);
    expect(screen.getByLabelText('Host')).toHaveValue('sql.example.com');
    expect(screen.getByLabelText('Database')).toHaveValue('db');
    expect(screen.getByLabelText('PSQL client connection')).toHaveTextContent(
      'psql "host=sql.example.com port=15432 dbname=db user=4x4qg8ei76 sslmode=require"',
    );
    await user.click(screen.getByRole('radio', { name: 'MYSQL' }));
    expect(screen.getByLabelText('Port')).toHaveValue('13306');
    expect(screen.getByLabelText('MySQL client connection')).toHaveTextContent('mysql -h sql.example.com -P 13306');
    expect(screen.getByRole('button', { name: 'Copy Password' })).toBeInTheDocument();

    // Finishing before the password was copied or downloaded asks first.
    await user.click(screen.getByRole('button', { name: 'Finish' }));
    await user.click(await screen.findByRole('button', { name: 'Back to the password' }));
    await user.click(screen.getByRole('button', { name: 'Copy Password' }));
    await user.click(screen.getByRole('button', { name: 'Finish' }));
    expect(await screen.findByText('You are all set')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Go to SQL API' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/settings/sql-api'));
  });

  it('lets the models step be skipped', async () => {
    const api = onboardingApi();
    const { user } = renderApp('/onboarding');
    await user.click(await screen.findByRole('button', { name: 'Use demo data' }));
    await user.click(await screen.findByRole('button', { name: 'Skip' }));
    expect(await screen.findByLabelText('Password')).toHaveValue('••••••••');
    expect(api.callsOf('GenerateModels')).toHaveLength(0);
  });

  it('tests an own database before saving it', async () => {
    const api = onboardingApi();
    api.set('CheckConnection', () => ({
      checkConnection: { __typename: 'ConnectionCheck', ok: false, message: 'password authentication failed for user "app"' },
    }));
    const { user } = renderApp('/onboarding');
    const form = await screen.findByRole('form', { name: 'New data source' });
    await user.type(within(form).getByLabelText(/Name/), 'Shop');
    await user.type(within(form).getByRole('textbox', { name: /^Database/ }), 'shop');
    await user.type(within(form).getByLabelText(/User/), 'app');
    await user.type(within(form).getByLabelText(/Password/), 'wrong');
    await user.click(within(form).getByRole('button', { name: 'Test connection' }));
    expect(await within(form).findByText('password authentication failed for user "app"')).toBeInTheDocument();
    expect(api.callsOf('CheckConnection')).toEqual([
      {
        input: {
          teamId: 't1',
          type: 'POSTGRES',
          params: { host: '127.0.0.1', port: 5432, database: 'shop', user: 'app', password: 'wrong', ssl: false },
        },
      },
    ]);
  });

  it('shows the sign-up form as the first step to a visitor', async () => {
    mockGraphQL({ Viewer: () => ({ viewer: null }) });
    renderApp('/onboarding');
    expect(await screen.findByRole('form', { name: 'Sign up' })).toBeInTheDocument();
  });
});
