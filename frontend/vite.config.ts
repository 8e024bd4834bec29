import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Libraries in their own chunks: cached across releases of the app's code, and the editor
    // (CodeMirror) downloaded only by the models screen. docs/frontend.md has the figures.
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (!id.includes('node_modules')) return undefined;
          if (/[\\/](@codemirror|@lezer|crelt|style-mod|w3c-keyname)[\\/]/.test(id)) return 'codemirror';
          if (/[\\/]@mantine[\\/]/.test(id)) return 'mantine';
          if (/[\\/]@tabler[\\/]/.test(id)) return 'icons';
          if (/[\\/](react|react-dom|scheduler|react-router|react-router-dom|@tanstack)[\\/]/.test(id)) return 'react';
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
