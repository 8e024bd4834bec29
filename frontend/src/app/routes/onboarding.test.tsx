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

/** A server with state: what the wizard made is there after a reload, like the real one. */
function onboardingApi({ sources = [] as (typeof demo)[], creds = [] as ReturnType<typeof credential>[], models = null as null | { id: string; number: number } } = {}) {
  return mockGraphQL({
    Viewer: () => ({ viewer }),
    DataSources: () => ({ team: { id: 't1', dataSources: sources.map((s) => ({ ...s, hasPassword: false, createdAt: '2026-11-20T09:00:00Z', models: null })) } }),
    CreateDemoDataSource: () => {
      if (!sources.some((s) => s.id === demo.id)) sources.push(demo); // one demo source per team
      return { createDemoDataSource: demo };
    },
    DataSourceTables: () => ({ dataSourceTables: tables }),
    LiveModelVersion: () => ({ dataSource: { id: 'ds1', models: models && { ...models, createdAt: '2026-11-20T09:00:00Z', files: [] } } }),
    GenerateModels: () => ({ generateModels: { __typename: 'ModelVersion', id: 'v1', number: 1, files: [] } }),
    SqlCredentials: () => ({ sqlCredentials: creds, team: { id: 't1', members, dataSources: sources } }),
    CreateSqlCredential: () => {
      const made = credential();
      creds.push(made);
      return { createSqlCredential: secret('one-time-pass', made) };
    },
    RotateSqlCredentialPassword: () => ({ rotateSqlCredentialPassword: secret('new-pass-after-reload', credential()) }),
  });
}

const search = (router: { state: { location: { search: string } } }) => Object.fromEntries(new URLSearchParams(router.state.location.search));

describe('onboarding', () => {
  it('walks demo data → models → SQL API access → finish, each step in the URL', async () => {
    const api = onboardingApi();
    const { user, router } = renderApp('/onboarding');
    await user.click(await screen.findByRole('button', { name: 'Use demo data' }));

    // Models step: tables with their columns, all selected by default.
    expect(await screen.findByText('main.orders')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/t/t1/onboarding');
    expect(search(router)).toEqual({ step: 'models', source: 'ds1' });
    expect(screen.getByText('2 of 2 tables selected')).toBeInTheDocument();
    await user.click(screen.getByRole('checkbox', { name: 'Select main.customers' }));
    await user.click(screen.getByRole('button', { name: 'Generate models' }));
    expect(api.callsOf('GenerateModels')).toEqual([
      { input: { dataSourceId: 'ds1', overwrite: false, tables: [{ schema: 'main', name: 'orders' }] } },
    ]);

    // SQL API step: the credential is created once, for the viewer's membership.
    expect(await screen.findByLabelText('Password')).toHaveValue('••••••••');
    expect(search(router)).toEqual({ step: 'access', source: 'ds1' });
    expect(api.callsOf('CreateSqlCredential')).toEqual([{ input: { memberId: 'm1', dataSourceId: 'ds1' } }]);
    expect(screen.getByLabelText('Host')).toHaveValue('sql.example.com');
    expect(screen.getByLabelText('PSQL client connection')).toHaveTextContent(
      'psql "host=sql.example.com port=15432 dbname=db user=4x4qg8ei76 sslmode=require"',
    );
    await user.click(screen.getByRole('radio', { name: 'MYSQL' }));
    expect(screen.getByLabelText('MySQL client connection')).toHaveTextContent('mysql -h sql.example.com -P 13306');

    // Finishing before the password was copied or downloaded asks first.
    await user.click(screen.getByRole('button', { name: 'Finish' }));
    await user.click(await screen.findByRole('button', { name: 'Back to the password' }));
    await user.click(screen.getByRole('button', { name: 'Copy Password' }));
    await user.click(screen.getByRole('button', { name: 'Finish' }));
    expect(await screen.findByText('You are all set')).toBeInTheDocument();
    expect(search(router)).toEqual({ step: 'done', source: 'ds1' });
    await user.click(screen.getByRole('button', { name: 'Go to SQL API' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/t/t1/settings/sql-api'));
  });

  it('lets the models step be skipped', async () => {
    const api = onboardingApi();
    const { user } = renderApp('/t/t1/onboarding');
    await user.click(await screen.findByRole('button', { name: 'Use demo data' }));
    await user.click(await screen.findByRole('button', { name: 'Skip' }));
    expect(await screen.findByLabelText('Password')).toHaveValue('••••••••');
    expect(api.callsOf('GenerateModels')).toHaveLength(0);
  });

  it('after a reload at the first step offers the source made before instead of a second demo', async () => {
    const api = onboardingApi({ sources: [demo] });
    const { user, router } = renderApp('/t/t1/onboarding');
    await user.click(await screen.findByRole('button', { name: 'Demo e-commerce' }));
    expect(await screen.findByText('main.orders')).toBeInTheDocument();
    expect(search(router)).toEqual({ step: 'models', source: 'ds1' });
    expect(api.callsOf('CreateDemoDataSource')).toHaveLength(0);
  });

  it('after a reload at the models step shows the models saved before', async () => {
    onboardingApi({ sources: [demo], models: { id: 'v3', number: 3 } });
    const { user, router } = renderApp('/t/t1/onboarding?step=models&source=ds1');
    expect(await screen.findByText('Demo e-commerce has models (version 3)')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Continue with version 3' }));
    await waitFor(() => expect(search(router)).toEqual({ step: 'access', source: 'ds1' }));
  });

  it('after a reload at the SQL API step says the credential exists and offers a rotation, not a second one', async () => {
    const api = onboardingApi({ sources: [demo], creds: [credential()] });
    const { user } = renderApp('/t/t1/onboarding?step=access&source=ds1');
    expect(await screen.findByText('Your credential was created')).toBeInTheDocument();
    expect(screen.getByText(/rotate to get a new password/)).toBeInTheDocument();
    expect(api.callsOf('CreateSqlCredential')).toHaveLength(0);
    expect(document.body.textContent).not.toContain('one-time-pass');
    await user.click(screen.getByRole('button', { name: 'Rotate to get a new password' }));
    const dialog = await screen.findByRole('dialog', { name: 'Rotate password' });
    await user.click(within(dialog).getByRole('button', { name: 'Rotate password' }));
    expect(await screen.findByRole('dialog', { name: 'New password' })).toBeInTheDocument();
    expect(api.callsOf('RotateSqlCredentialPassword')).toEqual([{ input: { id: 'c1' } }]);
  });

  it('a step for a data source that is gone goes back to the first step and says so', async () => {
    onboardingApi({ sources: [] });
    renderApp('/t/t1/onboarding?step=access&source=gone');
    expect(await screen.findByText(/no longer exists/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Use demo data' })).toBeInTheDocument();
  });

  it('tests an own database before saving it', async () => {
    const api = onboardingApi();
    api.set('CheckConnection', () => ({
      checkConnection: { __typename: 'ConnectionCheck', ok: false, message: 'password authentication failed for user "app"' },
    }));
    const { user } = renderApp('/t/t1/onboarding');
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
