import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { credential, dataSources, members, viewer } from '@/testing/fixtures';
import { mockGraphQL } from '@/testing/graphql-mock';
import { renderApp } from '@/testing/render';

const run = {
  __typename: 'QueryRun',
  tag: 'SELECT 2',
  kind: 'engine',
  columns: [
    { name: 'status', type: 'text' },
    { name: 'n', type: 'int8' },
  ],
  rows: [
    ['completed', '12'],
    ['shipped', null],
  ],
  rowLimit: 1000,
  truncated: true,
  compiledSql: 'SELECT "orders".status AS status, COUNT(*) AS n FROM main.orders AS "orders" GROUP BY 1',
  elapsedMs: 12.5,
};

function api(result: unknown = run) {
  return mockGraphQL({
    Viewer: () => ({ viewer: { ...viewer, invitations: [] } }),
    SqlCredentials: () => ({ sqlCredentials: [credential()], team: { id: 't1', members, dataSources } }),
    RunQuery: () => ({ runQuery: result }),
  });
}

describe('query console', () => {
  it('runs a statement as the chosen credential and shows rows, types, compiled SQL and time', async () => {
    const calls = api();
    const { user } = renderApp('/t/t1/settings/sql-api');
    const form = await screen.findByRole('form', { name: 'Query console' });
    const statement = within(form).getByRole('textbox', { name: /SQL statement/ });
    await user.clear(statement);
    await user.type(statement, 'SELECT status, MEASURE(count) AS n FROM orders GROUP BY 1');
    await user.click(within(form).getByRole('button', { name: 'Run' }));
    const rows = await screen.findByRole('table', { name: 'Rows' });
    expect(calls.callsOf('RunQuery')).toEqual([
      { input: { teamId: 't1', sql: 'SELECT status, MEASURE(count) AS n FROM orders GROUP BY 1', credentialId: 'c1' } },
    ]);
    expect(within(rows).getByRole('columnheader', { name: 'n int8' })).toBeInTheDocument();
    expect(within(rows).getByRole('cell', { name: 'completed' })).toBeInTheDocument();
    expect(within(rows).getByRole('cell', { name: 'NULL' })).toBeInTheDocument();
    expect(screen.getByText('SELECT 2')).toBeInTheDocument();
    expect(screen.getByText('12.5 ms')).toBeInTheDocument();
    expect(screen.getByText(/Showing the first 1,000 rows/)).toBeInTheDocument();
    expect(screen.getByLabelText('Compiled data-source SQL')).toHaveTextContent('FROM main.orders');
  });

  it("runs with the member's access on a data source when chosen, no password asked", async () => {
    const calls = api();
    const { user } = renderApp('/t/t1/settings/sql-api');
    const form = await screen.findByRole('form', { name: 'Query console' });
    await user.click(within(form).getByRole('combobox', { name: 'Run as' }));
    await user.click(await screen.findByRole('option', { name: 'Warehouse — my access' }));
    await user.keyboard('{Control>}{Enter}{/Control}');
    await user.click(within(form).getByRole('textbox', { name: /SQL statement/ }));
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(calls.callsOf('RunQuery')).toHaveLength(1));
    expect(calls.callsOf('RunQuery')[0]).toMatchObject({ input: { teamId: 't1', dataSourceId: 'ds2' } });
    expect(screen.queryByLabelText('Password')).not.toBeInTheDocument();
  });

  it('shows a refused statement with its SQLSTATE and hint', async () => {
    api({ __typename: 'QueryError', code: 'READ_ONLY', sqlstate: '25006', message: 'the SQL API is read-only', hint: 'only SELECT queries are allowed' });
    const { user } = renderApp('/t/t1/settings/sql-api');
    const form = await screen.findByRole('form', { name: 'Query console' });
    await user.click(within(form).getByRole('button', { name: 'Run' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('ERROR 25006');
    expect(alert).toHaveTextContent('the SQL API is read-only');
    expect(alert).toHaveTextContent('Hint: only SELECT queries are allowed');
  });
});

describe('credential cards', () => {
  it('are titled by their data source, with the login secondary', async () => {
    api();
    renderApp('/t/t1/settings/sql-api');
    const card = await screen.findByRole('article', { name: 'SQL credential 4x4qg8ei76' });
    expect(within(card).getByRole('heading', { name: 'Demo e-commerce' })).toBeInTheDocument();
    expect(card).toHaveTextContent('Login 4x4qg8ei76');
  });
});
