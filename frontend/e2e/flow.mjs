// End-to-end flow in Debian's headless Chromium, driven by playwright-core against a running
// server. tests/e2e/test_browser.py starts the real server and runs this; it can also run
// against one started by hand:
//
//   E2E_BASE_URL=http://127.0.0.1:8000 E2E_SQL_CHECK="../.venv/bin/python -m tests.e2e.sql_login" \
//     E2E_SQLITE_PATH=/tmp/shop.sqlite node e2e/flow.mjs
//
// Environment:
//   E2E_BASE_URL       where the SPA and /graphql are served (required)
//   E2E_SQL_CHECK      command that logs in over the PostgreSQL wire with PG* variables and
//                      `--expect query-ok|login-ok|login-refused`; its cwd is E2E_SQL_CHECK_CWD
//   E2E_SQLITE_PATH    a SQLite file on the server to add as a second data source
//   E2E_SCREENSHOTS    directory for screenshots (default ../test-artifacts/screenshots)
//   CHROMIUM_PATH      browser binary (default /usr/bin/chromium)
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const here = path.dirname(fileURLToPath(import.meta.url));
const baseUrl = required('E2E_BASE_URL').replace(/\/$/, '');
const shots = path.resolve(process.env.E2E_SCREENSHOTS ?? path.join(here, '..', '..', 'test-artifacts', 'screenshots'));
const sqlCheck = process.env.E2E_SQL_CHECK ?? '';
const sqlCheckCwd = process.env.E2E_SQL_CHECK_CWD ?? path.join(here, '..', '..');
const sqlitePath = process.env.E2E_SQLITE_PATH ?? '';
const STEP_TIMEOUT = 30_000;

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set; see the header of e2e/flow.mjs`);
    process.exit(2);
  }
  return value;
}

function log(message) {
  console.log(`[e2e] ${message}`);
}

/** Runs the psycopg check with the credentials the user copied from the page. */
function expectSql(creds, expect) {
  if (!sqlCheck) {
    log(`E2E_SQL_CHECK not set: skipping SQL check (${expect})`);
    return;
  }
  const [cmd, ...args] = sqlCheck.split(' ').filter(Boolean);
  const result = spawnSync(cmd, [...args, '--expect', expect], {
    cwd: sqlCheckCwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      PGHOST: creds.host,
      PGPORT: String(creds.port),
      PGUSER: creds.login,
      PGPASSWORD: creds.password,
      PGDATABASE: creds.database,
    },
  });
  process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  if (result.status !== 0) throw new Error(`SQL check "${expect}" failed for ${creds.login} (exit ${result.status})`);
}

/** WCAG 2 A/AA problems axe-core finds on each screen, by rule; serious ones fail the run. */
const accessibility = new Map();
async function audit(page, screen) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1] ?? ''}`) }));
  });
  for (const v of violations) {
    const seen = accessibility.get(v.id) ?? { ...v, targets: [], screens: [] };
    seen.screens.push(screen);
    seen.targets.push(...v.targets.filter((t) => !seen.targets.includes(t)));
    accessibility.set(v.id, seen);
  }
}

let shotNumber = 0;
async function screenshot(page, name) {
  shotNumber += 1;
  const file = path.join(shots, `${String(shotNumber).padStart(2, '0')}-${name}.png`);
  // A full-page shot of a scrolled page draws the fixed header mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  log(`screenshot ${path.relative(process.cwd(), file)}`);
  await audit(page, name);
}

/** Clicks a copy button and reads what landed on the clipboard. */
async function copied(scope, page, label) {
  await scope.getByRole('button', { name: `Copy ${label}`, exact: true }).click();
  return page.evaluate(() => navigator.clipboard.readText());
}

async function copyCredentials(dialog, page) {
  const creds = {
    host: await copied(dialog, page, 'Host'),
    port: Number(await copied(dialog, page, 'Port')),
    database: await copied(dialog, page, 'Database'),
    login: await copied(dialog, page, 'Login'),
    password: await copied(dialog, page, 'Password'),
  };
  if (!creds.host || !creds.port || !creds.login || !creds.password) {
    throw new Error(`incomplete credentials copied: ${JSON.stringify({ ...creds, password: creds.password ? '***' : '' })}`);
  }
  return creds;
}

/** Everything the page could leak: its text, its markup (attributes) and every input's value. */
async function pageContains(page, secret) {
  return page.evaluate((value) => {
    const inputs = [...document.querySelectorAll('input, textarea')].map((el) => el.value).join('\n');
    return document.body.innerText.includes(value) || document.documentElement.outerHTML.includes(value) || inputs.includes(value);
  }, secret);
}

async function chooseFormat(page, scope, label) {
  await scope.getByRole('combobox', { name: /^Connect with/ }).click();
  await page.getByRole('option', { name: label, exact: true }).click();
}

const FORMATS = ['URI', 'JDBC', 'SQLAlchemy / pandas', 'Jupyter', '.env', 'Tableau', 'Metabase', 'Power BI', 'DBeaver', 'Superset', 'Hex'];

/** The password is in no format, for either protocol, until the reveal control shows it. */
async function expectMaskedEverywhere(page, scope, password) {
  for (const protocol of ['PSQL', 'MYSQL']) {
    await scope.getByText(protocol, { exact: true }).click();
    for (const format of [protocol === 'PSQL' ? 'psql' : 'mysql', ...FORMATS]) {
      await chooseFormat(page, scope, format);
      if (await pageContains(page, password)) throw new Error(`the password is on the page (${protocol}, ${format}) before it was revealed`);
    }
  }
  await scope.getByText('PSQL', { exact: true }).click();
  await chooseFormat(page, scope, 'psql');
  await scope.getByRole('button', { name: 'Show password' }).click();
  if (!(await pageContains(page, password))) throw new Error('Show password did not reveal the password');
  await scope.getByRole('button', { name: 'Hide password' }).click();
  if (await pageContains(page, password)) throw new Error('Hide password left the password on the page');
}

async function downloadJson(page, scope, menuItem) {
  await scope.getByRole('button', { name: 'Download Credentials' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 15_000 }).catch(() => {
      throw new Error('Download Credentials started no download (is the download route served?)');
    }),
    page.getByRole('menuitem', { name: menuItem }).click(),
  ]);
  await page.getByRole('menu').waitFor({ state: 'detached' });
  return readFileSync(await download.path(), 'utf8');
}

/** Waits for `locator`, but fails at once with the message of an alert that shows up instead. */
async function expectVisible(page, locator, what) {
  const alert = page.getByRole('alert').first();
  await Promise.race([locator.first().waitFor(), alert.waitFor()]);
  if (!(await locator.first().isVisible()) && (await alert.isVisible())) {
    throw new Error(`${what}: the page shows an error instead: ${(await alert.innerText()).replace(/\s+/g, ' ')}`);
  }
}

async function openGear(page, username) {
  const card = page.getByRole('article', { name: `SQL credential ${username}` });
  await card.getByRole('button', { name: `Settings for ${username}` }).click();
  return card;
}

async function chooseFromGear(page, username, item) {
  await openGear(page, username);
  await page.getByRole('menuitem', { name: item }).click();
  await page.getByRole('menu').waitFor({ state: 'detached' });
}

async function pickOption(page, scope, label, option) {
  await scope.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // bypassCSP: only so that axe-core can be injected for the audit; the app itself runs under
  // the server's Content-Security-Policy (a violation by the app shows as a console error).
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 }, acceptDownloads: true, bypassCSP: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  context.setDefaultTimeout(STEP_TIMEOUT);
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  try {
    await run(page);
  } catch (error) {
    await page.screenshot({ path: path.join(shots, 'failure.png'), fullPage: true }).catch(() => {});
    if (consoleErrors.length) console.error(`browser console errors:\n  ${consoleErrors.join('\n  ')}`);
    throw error;
  } finally {
    await browser.close();
  }
}

async function run(page) {
  const stamp = Date.now().toString(36);
  const email = `e2e-${stamp}@example.com`;
  const password = `e2e-${stamp}-Passw0rd!`;

  // Sign up.
  await page.goto('/signup');
  await page.getByRole('textbox', { name: 'Name' }).fill('E2E User');
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await screenshot(page, 'sign-up');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/onboarding');

  // Onboarding: data source → demo data.
  await page.getByRole('button', { name: 'Use demo data' }).waitFor();
  await screenshot(page, 'onboarding-data-source');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'onboarding-data-source-phone');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByRole('button', { name: 'Use demo data' }).click();

  // Models step: the tables with their columns; the demo keeps its ready-made models.
  // (The demo source comes with models, so the step also shows a "has models" notice: an
  // alert that is not an error, and it may render before the table list.)
  await page.getByText(/tables selected/).first().waitFor();
  await page.getByRole('button', { name: /columns$/ }).first().click();
  await page.getByRole('table', { name: /^Columns of / }).first().waitFor();
  await screenshot(page, 'onboarding-models');
  await page.getByRole('button', { name: 'Skip' }).click();

  // SQL API step: PSQL details, copied with the copy buttons.
  await expectVisible(page, page.getByLabel('Password', { exact: true }), 'SQL API access');
  const creds = await copyCredentials(page, page);
  log(`credential ${creds.login} at ${creds.host}:${creds.port}/${creds.database}`);
  await expectMaskedEverywhere(page, page, creds.password);
  log('the password stayed masked in every format of both protocols until revealed');
  await screenshot(page, 'onboarding-sql-api-psql');

  // Download Credentials as credentials.json: carries the password right after create.
  const text = await downloadJson(page, page, 'credentials.json');
  let downloaded;
  try {
    downloaded = JSON.parse(text);
  } catch {
    throw new Error(`credentials.json is not JSON: ${text.slice(0, 80)}`);
  }
  if (downloaded.password !== creds.password || downloaded.db_username !== creds.login) {
    throw new Error(`credentials.json does not match the page: ${Object.keys(downloaded).join(', ')}`);
  }
  log(`downloaded credentials.json with ${Object.keys(downloaded).join(', ')}`);
  // Every download made while the password is shown carries it, not only the first.
  const env = await downloadJson(page, page, '.env');
  if (!env.split('\n').some((l) => l.startsWith('PGPASSWORD=') && l.includes(creds.password))) {
    throw new Error('the second download (.env) came without the password');
  }

  // MYSQL: the chosen format carries over, and each part of the panel is filled.
  await page.getByText('MYSQL', { exact: true }).click();
  const mysqlCommand = page.getByLabel('MySQL client connection', { exact: true });
  await mysqlCommand.waitFor();
  if (!/mysql -h \S+ -P \d+ -u \S+ .*--ssl/.test(await mysqlCommand.innerText())) throw new Error('the MySQL command lacks host, port, user or --ssl');
  await screenshot(page, 'onboarding-sql-api-mysql');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'onboarding-sql-api-mysql-phone');
  await page.setViewportSize({ width: 1280, height: 900 });
  await chooseFormat(page, page, 'Metabase');
  const mysqlPort = await page.getByLabel('Port', { exact: true }).inputValue();
  if (mysqlPort === String(creds.port) || (await page.getByLabel('Metabase: Port', { exact: true }).inputValue()) !== mysqlPort) {
    throw new Error('the MySQL Metabase fields do not show the MySQL port');
  }
  await screenshot(page, 'onboarding-sql-api-metabase');

  // Connect with what was copied and query a model.
  expectSql(creds, 'query-ok');

  await page.getByRole('button', { name: 'Finish' }).click();
  await page.getByText('You are all set').waitFor();
  await screenshot(page, 'onboarding-done');
  await page.getByRole('button', { name: 'Go to SQL API' }).click();
  await page.waitForURL('**/settings/sql-api');

  // A second data source to move the credential to.
  let secondSource = null;
  let sqliteInTeamFolder;
  await page.getByRole('link', { name: 'Data sources' }).click();
  await page.getByRole('heading', { name: 'Data sources' }).waitFor();
  if (sqlitePath) {
    // File sources live in the team's own folder (<DATA_DIR>/files/<team id>/); the test put
    // the file in DATA_DIR, so move it where the server allows it, as an operator would.
    const teamId = await page.evaluate(async () => {
      const r = await fetch('/graphql', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ query: '{ viewer { teams { id } } }' }) });
      return (await r.json()).data.viewer.teams[0].id;
    });
    const teamFolder = path.join(path.dirname(sqlitePath), 'files', teamId);
    mkdirSync(teamFolder, { recursive: true });
    sqliteInTeamFolder = path.join(teamFolder, path.basename(sqlitePath));
    copyFileSync(sqlitePath, sqliteInTeamFolder);
    await page.getByRole('button', { name: 'Add data source' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add data source' });
    await dialog.getByText('SQLite', { exact: true }).click();
    await dialog.getByLabel('Name').fill('Shop (SQLite)');
    await dialog.getByLabel('File path').fill(sqliteInTeamFolder);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expectVisible(page, dialog.getByText('Connection works', { exact: true }), 'SQLite connection check');
    await screenshot(page, 'data-source-form');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    secondSource = 'Shop (SQLite)';
  }
  await page.getByRole('article', { name: /^Data source / }).first().waitFor();
  await screenshot(page, 'data-sources');

  // Models of the demo data.
  await page.getByRole('link', { name: 'Models' }).click();
  const editor = page.getByRole('textbox', { name: /^Model file / });
  await editor.waitFor();
  await screenshot(page, 'models');
  // A typo in a column, typed into the editor (CodeMirror): the server refuses the version
  // and the editor marks the line. At the top of the file the rendered lines start at line 1.
  const rendered = await editor.locator('.cm-line').allInnerTexts();
  const target = rendered.findIndex((l) => /^\s+sql: \w+\s*$/.test(l));
  if (target < 0) throw new Error('no `sql: column` line to break in the first model file');
  await editor.locator('.cm-line').nth(target).click();
  await page.keyboard.press('End');
  await page.keyboard.type('_typo');
  await page.getByRole('button', { name: 'Save new version' }).click();
  const review = page.getByRole('dialog', { name: 'Review changes' });
  await review.locator('[data-diff="added"]').filter({ hasText: '_typo' }).waitFor();
  await screenshot(page, 'models-review');
  await review.getByRole('button', { name: /^Save version / }).click();
  const problems = page.getByRole('alert').filter({ hasText: 'nothing was saved' });
  await problems.getByText(/_typo/).waitFor();
  const marked = page.locator('[data-error="true"]').first();
  const line = Number(await marked.getAttribute('data-line'));
  // The server reports the line of the member holding the typo: at it or just above.
  if (!(line <= target + 1 && line >= target + 1 - 3)) throw new Error(`problem marked at line ${line}, typo at ${target + 1}`);
  await screenshot(page, 'models-validation');

  // Unsaved edits: leaving asks first.
  await page.getByRole('link', { name: 'Team' }).click();
  const leave = page.getByRole('dialog', { name: 'Leave without saving?' });
  await leave.waitFor();
  await screenshot(page, 'models-leave-unsaved');
  await leave.getByRole('button', { name: 'Leave and discard' }).click();

  // Team: invite someone without an account.
  const invite = page.getByRole('form', { name: 'Invite a member' });
  await invite.getByLabel('Email').fill(`invitee-${stamp}@example.com`);
  await invite.getByRole('button', { name: 'Invite' }).click();
  await page.getByText(/has no account yet|joined the team|Invitation for .* sent/).waitFor();
  await screenshot(page, 'team');

  // Settings > SQL API: the card, then Edit.
  await page.getByRole('link', { name: 'SQL API' }).click();
  const card = page.getByRole('article', { name: `SQL credential ${creds.login}` });
  await card.waitFor();
  await screenshot(page, 'settings-sql-api');

  await chooseFromGear(page, creds.login, 'Edit');
  const edit = page.getByRole('dialog', { name: `Edit ${creds.login}` });
  await edit.waitFor();
  if (secondSource) await pickOption(page, edit, /Data source/, secondSource);
  await screenshot(page, 'settings-sql-api-edit');
  await edit.getByRole('button', { name: 'Finish' }).click();
  await edit.waitFor({ state: 'detached' });
  if (secondSource) await page.getByText('Credentials saved').waitFor();
  if (secondSource) await card.getByText(secondSource).waitFor();
  expectSql(creds, 'login-ok');

  // Rotate: the new password is shown once; the old one stops working.
  await chooseFromGear(page, creds.login, 'Rotate password');
  const rotate = page.getByRole('dialog', { name: 'Rotate password' });
  await rotate.getByRole('button', { name: 'Rotate password' }).click();
  const shown = page.getByRole('dialog', { name: 'New password' });
  await shown.getByLabel('Password', { exact: true }).waitFor();
  await page.getByText('Password rotated').waitFor();
  // Not copied yet: Escape and a click on the backdrop ask before the password is lost.
  const asking = page.getByRole('dialog', { name: 'Close without saving the password?' });
  await page.keyboard.press('Escape');
  await asking.waitFor();
  await screenshot(page, 'settings-sql-api-close-unsaved');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'settings-sql-api-close-unsaved-phone');
  await page.setViewportSize({ width: 1280, height: 900 });
  await asking.getByRole('button', { name: 'Back to the password' }).click();
  await shown.waitFor();
  await page.mouse.click(8, 450); // the backdrop, left of the dialog
  await asking.waitFor();
  await asking.getByRole('button', { name: 'Back to the password' }).click();
  if (await pageContains(page, creds.password)) throw new Error('the old password is still on the page');
  const rotated = { ...creds, password: await copied(shown, page, 'Password') };
  if (rotated.password === creds.password) throw new Error('rotation showed the old password');
  await screenshot(page, 'settings-sql-api-rotated');
  await shown.getByRole('button', { name: 'Finish' }).click();
  await shown.waitFor({ state: 'detached' });
  expectSql(creds, 'login-refused');
  expectSql(rotated, 'login-ok');

  // A phone-width look at the same page.
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'settings-sql-api-phone');
  await page.getByRole('button', { name: 'Toggle navigation' }).click();
  await screenshot(page, 'navigation-phone');
  await page.getByRole('button', { name: 'Toggle navigation' }).click();
  await page.setViewportSize({ width: 1280, height: 900 });

  // Delete, with confirmation; the credential stops working.
  await chooseFromGear(page, creds.login, 'Delete');
  const confirm = page.getByRole('dialog', { name: 'Delete SQL API credentials' });
  await screenshot(page, 'settings-sql-api-delete');
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await card.waitFor({ state: 'detached' });
  await page.getByText('Credentials deleted').waitFor();
  await page.getByText('No SQL API credentials yet').waitFor();
  await screenshot(page, 'settings-sql-api-empty');
  expectSql(rotated, 'login-refused');

  const serious = [...accessibility.values()].filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of accessibility.values()) {
    log(`a11y ${v.impact} ${v.id}: ${v.help} — on ${v.screens.join(', ')} — ${v.targets.slice(0, 8).join(' | ')}`);
  }
  if (serious.length) throw new Error(`accessibility: ${serious.map((v) => v.id).join(', ')}`);
  writeFileSync(path.join(shots, 'flow.json'), JSON.stringify({ email, credential: creds.login, screenshots: shotNumber }, null, 2));
  log(`passed with ${shotNumber} screenshots in ${shots}`);
}

main().catch((error) => {
  console.error(`[e2e] FAILED: ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
});
