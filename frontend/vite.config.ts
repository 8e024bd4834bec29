import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // dist/.vite/manifest.json: what `npm run size` reads (scripts/bundle-size.mjs).
    manifest: true,
    // React, the router and TanStack Query in one long-cached chunk; CodeMirror in its own,
    // downloaded when an editor is first shown. Mantine and the icons are left to Rollup's
    // splitting: a single Mantine chunk put every component of every screen on the first page.
    // docs/frontend.md has the figures.
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (!id.includes('node_modules')) return undefined;
          if (/[\\/](@codemirror|@lezer|crelt|style-mod|w3c-keyname)[\\/]/.test(id)) return 'codemirror';
          // Exact packages: `@floating-ui/react` (menus, selects) must not ride along to the first page.
          if (/node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom|@tanstack[\\/][^\\/]+)[\\/]/.test(id)) return 'react';
          return undefined;
        },
      },
    },
  },
  // `npm run dev` proxies the API to a server started with `metricsql serve`.
  server: { proxy: { '/graphql': 'http://127.0.0.1:8000', '/api': 'http://127.0.0.1:8000' } },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/testing/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    // Whole-app renders with lazy screens on a shared 2-core machine: 5 s is too tight.
    testTimeout: 20_000,
  },
});
