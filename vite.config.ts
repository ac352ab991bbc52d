import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web apps (sign-in, cashier screen) are built into dist/web and served by the API server.
export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: { outDir: '../dist/web', emptyOutDir: true, sourcemap: true },
});
