import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The web apps are built into dist/web and served by the API server: the staff app (dashboard,
// members, review, settings, cashier) and the member portal, a separate small bundle for phones.
export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: {
    outDir: '../dist/web', emptyOutDir: true, sourcemap: true,
    // ECharts alone is ~1 MB minified; the dashboard loads it once and the browser caches it.
    chunkSizeWarningLimit: 1600,
    rollupOptions: { input: { main: fileURLToPath(new URL('web/index.html', import.meta.url)), portal: fileURLToPath(new URL('web/portal.html', import.meta.url)) } },
  },
});
