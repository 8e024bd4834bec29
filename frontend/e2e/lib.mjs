// Helpers for the browser flows: Debian's Chromium through playwright-core, screenshots with
// an axe-core audit of every screenshotted screen (WCAG 2 A/AA; serious or critical fails).
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
export const STEP_TIMEOUT = 30_000;
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

export function log(message) {
  console.log(`[e2e] ${message}`);
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/** A person's browser: own cookies; the clipboard readable; leave-page prompts accepted. */
export async function person(browser, baseUrl, errors) {
  // bypassCSP: only so that axe-core can be injected; the app runs under the server's CSP.
  const context = await browser.newContext({ baseURL: baseUrl, viewport: DESKTOP, bypassCSP: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  context.setDefaultTimeout(STEP_TIMEOUT);
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => d.accept()); // beforeunload while a password is on screen
  return page;
}

export class Shots {
  constructor(dir) {
    this.dir = dir;
    this.count = 0;
    this.findings = new Map();
    mkdirSync(dir, { recursive: true });
  }

  async audit(page, screen) {
    if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
    const violations = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
    });
    for (const v of violations) {
      const seen = this.findings.get(v.id) ?? { ...v, targets: [], screens: [] };
      seen.screens.push(screen);
      seen.targets.push(...v.targets.filter((t) => !seen.targets.includes(t)));
      this.findings.set(v.id, seen);
    }
  }

  /** The screen at desktop width and at 390 px, each audited. */
  async both(page, name) {
    await this.take(page, name);
    await page.setViewportSize(PHONE);
    await this.take(page, `${name}-phone`);
    await page.setViewportSize(DESKTOP);
  }

  async take(page, name) {
    this.count += 1;
    const file = path.join(this.dir, `${String(this.count).padStart(2, '0')}-${name}.png`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
    log(`screenshot ${path.basename(file)}`);
    await this.audit(page, name);
  }

  /** Throws on any serious or critical finding; logs the others. */
  verdict() {
    for (const v of this.findings.values()) log(`a11y ${v.impact} ${v.id}: ${v.help} — on ${v.screens.join(', ')} — ${v.targets.slice(0, 6).join(' | ')}`);
    const serious = [...this.findings.values()].filter((v) => v.impact === 'serious' || v.impact === 'critical');
    if (serious.length) throw new Error(`accessibility: ${serious.map((v) => v.id).join(', ')}`);
  }
}

/** Everything the page could leak: text, markup (attributes) and every input's value. */
export async function pageContains(page, secret) {
  return page.evaluate((value) => {
    const inputs = [...document.querySelectorAll('input, textarea')].map((el) => el.value).join('\n');
    return document.body.innerText.includes(value) || document.documentElement.outerHTML.includes(value) || inputs.includes(value);
  }, secret);
}

export async function copied(scope, page, label) {
  await scope.getByRole('button', { name: `Copy ${label}`, exact: true }).click();
  return page.evaluate(() => navigator.clipboard.readText());
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}
