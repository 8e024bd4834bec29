// JavaScript a first visit downloads, per screen: the entry chunk, the lazy chunks the screen
// renders (the signed-in shell, the screen), and everything they import statically — from the
// Vite manifest of `vite build --manifest`. Prints minified and gzip bytes; with --max-gzip-kb
// or --max-raw-kb, exits 1 when a screen's first load exceeds it (the editor, loaded after the
// models screen has rendered, is reported but not limited).
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const dist = new URL('../dist/', import.meta.url).pathname;
const manifestPath = join(dist, '.vite/manifest.json');
if (!existsSync(manifestPath)) {
  // `npm test` before any build: nothing to measure (CI builds first, so there it is a failure).
  console.log('bundle size: no build to measure (run npm run build)');
  process.exit(process.env.CI === 'true' ? 1 : 0);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const bySrc = (suffix) => Object.keys(manifest).find((k) => k.endsWith(suffix));

const SCREENS = {
  '/login, /signup': ['src/app/routes/auth.tsx'],
  '/onboarding (signed out)': ['src/app/routes/onboarding-entry.tsx'],
  '/t/:team/onboarding': ['src/app/layouts/AppLayout.tsx', 'src/app/routes/onboarding.tsx'],
  '/t/:team/settings/sql-api': ['src/app/layouts/AppLayout.tsx', 'src/app/routes/settings/sql-api.tsx'],
  '/t/:team/data-sources': ['src/app/layouts/AppLayout.tsx', 'src/app/routes/data-sources.tsx'],
  '/t/:team/models (before the editor)': ['src/app/layouts/AppLayout.tsx', 'src/app/routes/models.tsx'],
  '/t/:team/models (+ the editor, lazy)': ['src/app/layouts/AppLayout.tsx', 'src/app/routes/models.tsx', 'src/components/ui/CodeEditor.tsx'],
};

function closure(keys) {
  const seen = new Set();
  const visit = (key) => {
    if (!key || seen.has(key)) return;
    seen.add(key);
    for (const dep of manifest[key].imports ?? []) visit(dep);
  };
  keys.forEach(visit);
  return [...seen].map((k) => manifest[k].file).filter((f) => f.endsWith('.js'));
}

const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
const args = process.argv.slice(2);
const limit = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : Infinity;
};
const maxGzip = limit('--max-gzip-kb');
const maxRaw = limit('--max-raw-kb');
let failed = false;
for (const [screen, sources] of Object.entries(SCREENS)) {
  const files = closure([entry, ...sources.map(bySrc)]);
  let raw = 0;
  let gz = 0;
  for (const f of new Set(files)) {
    const bytes = readFileSync(join(dist, f));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  const kb = (n) => (n / 1000).toFixed(0);
  const limited = !screen.includes('lazy');
  const over = limited && (gz / 1000 > maxGzip || raw / 1000 > maxRaw);
  failed ||= over;
  console.log(`${screen.padEnd(40)} ${kb(raw).padStart(5)} kB · ${kb(gz).padStart(4)} kB gzip${over ? '  OVER' : ''}`);
}
process.exit(failed ? 1 : 0);
