import { chromium } from 'playwright-core';
const base = process.env.E2E_BASE_URL;
const out = '/tmp/e2e-manual/p';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu','--disable-background-networking','--disable-quic','--no-first-run','--disable-component-update','--disable-sync'] });
const width = Number(process.env.W ?? 1280);
const context = await browser.newContext({ baseURL: base, viewport: { width, height: 900 } });
const page = await context.newPage();
page.setDefaultTimeout(8000);
page.on('console', (m) => m.type() === 'error' && console.log('console:', m.text()));
const viewer = { id: 'u1', email: 'ada@example.com', displayName: 'Ada Lovelace', teams: [{ id: 't1', name: 'Ada personal', role: 'OWNER', personal: true }] };
const members = [
  { id: 'm1', role: 'OWNER', createdAt: '2026-11-01T10:00:00Z', user: { id: 'u1', email: 'ada@example.com', displayName: 'Ada Lovelace' } },
  { id: 'm2', role: 'MEMBER', createdAt: '2026-11-02T10:00:00Z', user: { id: 'u2', email: 'bob@example.com', displayName: 'Bob' } },
];
const dss = [
  { id: 'ds1', name: 'Demo e-commerce', type: 'DUCKDB', params: { path: 'var/demo.duckdb' }, hasPassword: false, createdAt: '2026-11-20T09:00:00Z' },
  { id: 'ds2', name: 'Warehouse', type: 'POSTGRES', params: { host: 'db.internal', port: 5432, database: 'analytics', user: 'metrics', ssl: true }, hasPassword: true, createdAt: '2026-11-21T09:00:00Z' },
];
const ci = (p, u) => { const pg = p === 'postgres'; const port = pg ? 15432 : 13306; return { host: 'sql.example.com', port, database: 'db', username: u,
  command: pg ? `psql --host=sql.example.com --port=${port} --username=${u} --dbname=db` : `mysql -h sql.example.com -P ${port} -u ${u} -p db`,
  uri: `${pg ? 'postgresql' : 'mysql'}://${u}@sql.example.com:${port}/db`, jdbcUrl: `jdbc:${pg ? 'postgresql' : 'mysql'}://sql.example.com:${port}/db?user=${u}`,
  sqlalchemyUrl: `${pg ? 'postgresql+psycopg' : 'mysql+pymysql'}://${u}@sql.example.com:${port}/db` }; };
const cred = (id, u, mi, di, extra = {}) => ({ id, username: u, createdAt: '2026-11-20T09:30:00Z', lastUsedAt: null, openSessions: 0, member: members[mi], dataSource: dss[di], connection: { postgres: ci('postgres', u), mysql: ci('mysql', u) }, ...extra });
const creds = [cred('c1', '4x4qg8ei76', 0, 0, { lastUsedAt: '2026-11-27T07:10:00Z', openSessions: 2 }), cred('c2', 'k2m9z0p1qa', 1, 1)];
const code = 'cubes:\n  - name: orders\n    sql_table: main.orders\n    joins:\n      - name: customers\n        relationship: many_to_one\n        sql: "{CUBE}.customer_id = {customers}.id"\n    dimensions:\n      - { name: id, sql: id, type: number, primary_key: true }\n      - { name: status, sql: statuz, type: string }\n    measures:\n      - { name: count, type: count }\n      - { name: amount, sql: amount, type: sum }\n';
const handlers = {
  Viewer: () => ({ viewer }),
  SqlCredentials: () => ({ team: { id: 't1', sqlCredentials: creds, members, dataSources: dss } }),
  TeamMembers: () => ({ team: { id: 't1', name: 'Ada personal', members, invitations: [{ id: 'i1', email: 'cy@example.com', role: 'ADMIN', createdAt: '2026-11-22T00:00:00Z' }] } }),
  DataSources: () => ({ team: { id: 't1', dataSources: dss } }),
  LiveModelVersion: () => ({ dataSource: { id: 'ds1', models: { id: 'v1', number: 3, createdAt: '2026-11-20T09:00:00Z', files: [{ name: 'orders.yml', code }, { name: 'customers.yml', code: 'cubes: []\n' }] } } }),
  CreateModelVersion: () => ({ createModelVersion: { __typename: 'UserError', code: 'INVALID_MODEL', message: '2 problems', field: null, line: null, problems: [
    { file: 'orders.yml', line: 10, cube: 'orders', member: 'status', message: 'unknown column "statuz" in main.orders' },
    { file: 'orders.yml', line: 7, cube: 'orders', member: null, message: 'join to unknown cube customers' }] } }),
  RotateSqlCredentialPassword: () => ({ rotateSqlCredentialPassword: { __typename: 'SqlCredentialSecret', password: 'Zq8-very-long-generated-secret-3kd9', downloadToken: 't', credential: creds[0] } }),
};
await page.route('**/graphql', async (route) => {
  const body = JSON.parse(route.request().postData());
  const op = /\b(?:query|mutation)\s+(\w+)/.exec(body.query)[1];
  const h = handlers[op];
  if (!h) { console.log('no handler', op); return route.fulfill({ json: { errors: [{ message: 'no mock ' + op }] } }); }
  await route.fulfill({ json: { data: h(body.variables) } });
});
const shot = async (n) => page.screenshot({ path: `${out}-${width}-${n}.png`, fullPage: true });
try {
  await page.goto('/settings/sql-api'); await page.getByRole('article').first().waitFor(); await shot('sqlapi');
  await page.getByRole('button', { name: 'Settings for 4x4qg8ei76' }).click(); await page.waitForTimeout(300); await shot('gear');
  await page.getByRole('menuitem', { name: 'Edit' }).click(); await page.waitForTimeout(500); await shot('edit');
  await page.keyboard.press('Escape'); await page.waitForTimeout(400);
  await page.getByRole('button', { name: 'Settings for 4x4qg8ei76' }).click();
  await page.getByRole('menuitem', { name: 'Rotate password' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Rotate password' }).click(); await page.waitForTimeout(500);
  await page.getByRole('tab', { name: 'SQLAlchemy / pandas' }).click(); await shot('rotated');
  await page.getByRole('button', { name: 'Finish' }).click(); await page.waitForTimeout(400);
  await page.getByRole('button', { name: 'Create Now' }).click(); await page.waitForTimeout(400); await shot('create');
  await page.keyboard.press('Escape');
  await page.goto('/settings/team'); await page.getByRole('table').waitFor(); await shot('team');
  await page.goto('/data-sources'); await page.getByRole('article').first().waitFor(); await shot('ds');
  await page.goto('/models/ds1'); await page.getByRole('textbox', { name: /Model file/ }).waitFor();
  await page.getByRole('button', { name: 'Save new version' }).click(); await page.waitForTimeout(500); await shot('models');
} catch (e) { console.log(e); await shot('fail'); }
await browser.close();
