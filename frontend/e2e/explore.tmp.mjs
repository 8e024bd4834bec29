import { chromium } from 'playwright-core';
const base = process.env.E2E_BASE_URL;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu','--disable-background-networking','--disable-quic','--no-first-run','--disable-component-update','--disable-sync'] });
const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
page.setDefaultTimeout(15000);
page.on('console', (m) => m.type() === 'error' && console.log('console:', m.text()));
const stamp = Date.now().toString(36);
try {
await page.goto('/signup');
await page.getByRole('textbox', { name: 'Name' }).fill('Explorer');
await page.getByRole('textbox', { name: 'Email' }).fill(`x-${stamp}@example.com`);
await page.getByRole('textbox', { name: 'Password' }).fill(`x-${stamp}-Passw0rd!`);
await page.getByRole('button', { name: 'Create account' }).click();
await page.waitForURL('**/onboarding');
const form = page.getByRole('form', { name: 'New data source' });
await form.getByRole('textbox', { name: 'Name' }).fill('Local PG');
await form.getByRole('textbox', { name: 'Database' }).fill('test');
await form.getByRole('textbox', { name: 'User' }).fill('postgres');
await form.getByRole('button', { name: 'Test connection' }).click();
await page.waitForTimeout(3000);
await page.screenshot({ path: '/tmp/e2e-manual/x1.png', fullPage: true });
await form.getByRole('button', { name: 'Continue' }).click();
await page.waitForTimeout(4000);
await page.screenshot({ path: '/tmp/e2e-manual/x2.png', fullPage: true });
} catch (e) { console.log(e); await page.screenshot({ path: '/tmp/e2e-manual/xfail.png', fullPage: true }); }
await browser.close();
