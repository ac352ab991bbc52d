import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web apps (sign-in, cashier screen) are built into dist/web and served by the API server.
export default defineConfig({
  root: 'web',
  plugins: [react()],
  // ECharts alone is ~1 MB minified; the dashboard loads it once and the browser caches it.
  build: { outDir: '../dist/web', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1600 },
});
