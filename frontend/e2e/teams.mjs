// Browser flow for teams, the wizard and the query console (issue 16), in Debian's Chromium:
// an owner walks the wizard reloading at every step (the step comes back, "Use demo data" twice
// makes one source, a credential made before a reload is shown as made and rotated), checks
// health on the data-source card, runs queries in the console; an invited member accepts in
// the app, lands on the SQL API page of the team, creates their own credential, queries with
// it, never sees the wizard, and switches teams from the header. Desktop and 390 px
// screenshots of every screen, each audited with axe-core.
//
//   E2E_BASE_URL=http://127.0.0.1:8000 node e2e/teams.mjs
//
// Environment as for e2e/flow.mjs (E2E_BASE_URL, E2E_SQL_CHECK, E2E_SQL_CHECK_CWD,
// E2E_SCREENSHOTS — here its teams/ subfolder —, CHROMIUM_PATH).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, copied, launch, log, pageContains, person, Shots } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const baseUrl = (process.env.E2E_BASE_URL ?? '').replace(/\/$/, '');
if (!baseUrl) {
  console.error('E2E_BASE_URL is not set; see the header of e2e/teams.mjs');
  process.exit(2);
}
const shots = new Shots(path.join(path.resolve(process.env.E2E_SCREENSHOTS ?? path.join(here, '..', '..', 'test-artifacts', 'screenshots')), 'teams'));
const sqlCheck = process.env.E2E_SQL_CHECK ?? '';
const sqlCheckCwd = process.env.E2E_SQL_CHECK_CWD ?? path.join(here, '..', '..');

function expectSql(creds, expect) {
  if (!sqlCheck) return log(`E2E_SQL_CHECK not set: skipping SQL check (${expect})`);
  const [cmd, ...args] = sqlCheck.split(' ').filter(Boolean);
  const result = spawnSync(cmd, [...args, '--expect', expect], {
    cwd: sqlCheckCwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PGHOST: creds.host, PGPORT: String(creds.port), PGUSER: creds.login, PGPASSWORD: creds.password, PGDATABASE: 'db' },
  });
  process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  check(result.status === 0, `SQL check "${expect}" failed for ${creds.login} (exit ${result.status})`);
}

async function credentialsIn(dialog, page) {
  return {
    host: await copied(dialog, page, 'Host'),
    port: Number(await copied(dialog, page, 'Port')),
    login: await copied(dialog, page, 'Login'),
    password: await copied(dialog, page, 'Password'),
  };
}

async function signUp(page, name, email, password) {
  await page.goto('/signup');
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/t\/[^/]+\/onboarding/);
  return decodeURIComponent(new URL(page.url()).pathname.split('/')[2]);
}

const params = (page) => Object.fromEntries(new URL(page.url()).searchParams);

async function runInConsole(page, sql) {
  const form = page.getByRole('form', { name: 'Query console' });
  await form.getByRole('textbox', { name: /SQL statement/ }).fill(sql);
  await form.getByRole('button', { name: 'Run' }).click();
}

async function ownerWalksTheWizard(page, stamp) {
  const teamId = await signUp(page, 'Owner', `owner-${stamp}@example.com`, `owner-${stamp}-Passw0rd!`);

  // Step 1, reloaded: the same step.
  await page.getByRole('button', { name: 'Use demo data' }).waitFor();
  await page.reload();
  await page.getByRole('button', { name: 'Use demo data' }).waitFor();
  check(new URL(page.url()).pathname === `/t/${teamId}/onboarding`, `wizard left its URL: ${page.url()}`);
  await shots.both(page, 'wizard-1-source');

  // Step 2 (models), reloaded: the same step for the same source.
  await page.getByRole('button', { name: 'Use demo data' }).click();
  await page.waitForURL(/step=models/);
  const sourceId = params(page).source;
  await page.getByText(/tables selected/).waitFor();
  await page.reload();
  await page.getByText(/tables selected/).waitFor();
  check(params(page).step === 'models' && params(page).source === sourceId, `models step lost on reload: ${page.url()}`);
  await shots.both(page, 'wizard-2-models');

  // Back to step 1 and "Use demo data" again: the same source, not a second one.
  await page.goBack();
  await page.getByRole('button', { name: 'Demo e-commerce' }).waitFor();
  await page.getByRole('button', { name: 'Use demo data' }).click();
  await page.waitForURL(/step=models/);
  check(params(page).source === sourceId, `a second demo source was made: ${params(page).source} != ${sourceId}`);

  // Step 3 (SQL API): the credential is made; reloaded, it is shown as made, never again its password.
  await page.getByRole('button', { name: 'Skip' }).click();
  await page.waitForURL(/step=access/);
  const password = await copied(page, page, 'Password');
  check(password.length >= 20, 'no password copied');
  await page.reload();
  await page.getByText('Your credential was created').waitFor();
  check(!(await pageContains(page, password)), 'the one-time password is in the page after a reload');
  await shots.both(page, 'wizard-3-access-after-reload');
  await page.getByRole('button', { name: 'Rotate to get a new password' }).click();
  await page.getByRole('dialog', { name: 'Rotate password' }).getByRole('button', { name: 'Rotate password' }).click();
  const shown = page.getByRole('dialog', { name: 'New password' });
  const creds = await credentialsIn(shown, page);
  check(creds.password !== password, 'rotation gave the same password');
  expectSql(creds, 'query-ok');
  await shown.getByRole('button', { name: 'Finish' }).click();
  await shown.waitFor({ state: 'detached' });

  // Step 4 (done), reloaded: still done.
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByText('You are all set').waitFor();
  await page.reload();
  await page.getByText('You are all set').waitFor();
  await shots.both(page, 'wizard-4-done');

  // One demo source, with its health, models and credentials on its card.
  await page.getByRole('link', { name: 'Data sources' }).click();
  const card = page.getByRole('article', { name: 'Data source Demo e-commerce' });
  await card.waitFor();
  const cards = await page.getByRole('article', { name: /^Data source / }).count();
  check(cards === 1, `expected one data source, found ${cards}`);
  await card.getByText('1 credential', { exact: false }).waitFor();
  await card.getByRole('button', { name: /^Models of Demo e-commerce: version 1/ }).waitFor();
  await card.getByRole('button', { name: 'Test connection to Demo e-commerce' }).click();
  await card.getByText('Healthy').waitFor();
  await shots.both(page, 'data-sources-health');
  await card.getByRole('button', { name: 'Actions for Demo e-commerce' }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await page.getByRole('menu').waitFor({ state: 'detached' });
  const impact = page.getByRole('dialog', { name: 'Delete data source' });
  await impact.getByRole('list', { name: 'What stops working' }).getByText(creds.login).waitFor();
  await shots.take(page, 'data-sources-delete-impact');
  await impact.getByRole('button', { name: 'Cancel' }).click();

  // The query console: rows, types, compiled SQL, time; a refusal with its SQLSTATE.
  await page.getByRole('link', { name: 'SQL API' }).click();
  const credCard = page.getByRole('article', { name: `SQL credential ${creds.login}` });
  await credCard.getByRole('heading', { name: 'Demo e-commerce' }).waitFor();
  await runInConsole(page, 'SELECT status, MEASURE(count) AS n FROM orders GROUP BY 1 ORDER BY 1');
  const rows = page.getByRole('table', { name: 'Rows' });
  await rows.getByRole('columnheader', { name: /^n int8|^n numeric/ }).waitFor();
  check((await rows.getByRole('row').count()) > 1, 'the console showed no rows');
  await page.getByText('SQL sent to the data source').click();
  const compiled = await page.getByLabel('Compiled data-source SQL').innerText();
  check(/orders/i.test(compiled) && !/MEASURE\(/i.test(compiled), `not the compiled SQL: ${compiled}`);
  await page.getByText(/\d ms$/).first().waitFor();
  await shots.both(page, 'sql-api-console');
  await runInConsole(page, 'DELETE FROM orders');
  await page.getByRole('alert').filter({ hasText: 'ERROR 25006' }).waitFor();
  await shots.take(page, 'sql-api-console-error');
  return { teamId, creds };
}

async function ownerInvites(page, email) {
  await page.getByRole('link', { name: 'Team' }).click();
  const invite = page.getByRole('form', { name: 'Invite a member' });
  await invite.getByLabel('Email').fill(email);
  await invite.getByRole('button', { name: 'Invite' }).click();
  await page.getByText(/Invitation for .* sent/).waitFor();
}

async function memberPath(page, stamp, email, teamId) {
  const personalId = await signUp(page, 'Member', email, `member-${stamp}-Passw0rd!`);
  const offer = page.getByRole('region', { name: 'Pending invitations' });
  await offer.getByText(/invites you to/).waitFor();
  await shots.both(page, 'member-invitation');
  await offer.getByRole('button', { name: 'Accept' }).click();
  await page.waitForURL(`**/t/${teamId}/settings/sql-api`);

  // Their own credential in the team that invited them: no wizard, no admin refusal.
  const mine = page.getByRole('region', { name: 'Your SQL access' });
  await mine.waitFor();
  check(!(await page.getByRole('link', { name: 'Onboarding' }).count()), 'a member is offered the setup wizard');
  check(!/needs the admin role/.test(await page.locator('body').innerText()), 'a member sees an admin refusal');
  await shots.both(page, 'member-sql-access');
  await mine.getByRole('button', { name: 'Create my credential' }).click();
  const create = page.getByRole('dialog', { name: 'Create SQL API credentials' });
  await create.getByRole('button', { name: 'Create' }).click();
  const access = page.getByRole('dialog', { name: 'SQL API access' });
  const creds = await credentialsIn(access, page);
  expectSql(creds, 'query-ok');
  await access.getByRole('button', { name: 'Finish' }).click();
  await access.waitFor({ state: 'detached' });
  await page.getByRole('article', { name: `SQL credential ${creds.login}` }).waitFor();
  await runInConsole(page, 'SELECT MEASURE(count) AS orders FROM orders');
  await page.getByRole('table', { name: 'Rows' }).waitFor();
  await shots.both(page, 'member-console');

  // The wizard's URL sends a member to the SQL API page.
  await page.goto(`/t/${teamId}/onboarding?step=source`);
  await page.waitForURL(`**/t/${teamId}/settings/sql-api`);

  // The team switcher: to their personal team and back, the screen kept.
  await page.getByRole('combobox', { name: 'Team' }).click();
  await shots.take(page, 'team-switcher');
  const names = await page.getByRole('option').allInnerTexts();
  check(names.length === 2 && names.includes("Member's team") && names.includes("Owner's team"), `teams in the switcher: ${names.join(', ')}`);
  await page.getByRole('option', { name: "Member's team", exact: true }).click();
  await page.waitForURL(`**/t/${personalId}/settings/sql-api`);
  await page.getByRole('heading', { name: 'SQL API' }).waitFor();
  await page.getByRole('combobox', { name: 'Team' }).click();
  await page.getByRole('option', { name: "Owner's team", exact: true }).click();
  await page.waitForURL(`**/t/${teamId}/settings/sql-api`);

  // A team that is not theirs: not found, nothing of it shown.
  await page.goto('/t/00000000-0000-4000-8000-000000000000/settings/sql-api');
  await page.getByRole('heading', { name: 'Team not found' }).waitFor();
  await shots.take(page, 'team-not-found');
  return creds;
}

async function main() {
  const browser = await launch();
  const errors = [];
  const stamp = Date.now().toString(36);
  const memberEmail = `member-${stamp}@example.com`;
  const owner = await person(browser, baseUrl, errors);
  const member = await person(browser, baseUrl, errors);
  try {
    const { teamId, creds } = await ownerWalksTheWizard(owner, stamp);
    await ownerInvites(owner, memberEmail);
    const memberCreds = await memberPath(member, stamp, memberEmail, teamId);
    shots.verdict();
    writeFileSync(path.join(shots.dir, 'teams.json'), JSON.stringify({ teamId, owner: creds.login, member: memberCreds.login, screenshots: shots.count }, null, 2));
    log(`passed with ${shots.count} screenshots in ${shots.dir}`);
  } catch (error) {
    await owner.screenshot({ path: path.join(shots.dir, 'failure-owner.png'), fullPage: true }).catch(() => {});
    await member.screenshot({ path: path.join(shots.dir, 'failure-member.png'), fullPage: true }).catch(() => {});
    if (errors.length) console.error(`browser console errors:\n  ${errors.join('\n  ')}`);
    throw error;
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(`[e2e] FAILED: ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
});
