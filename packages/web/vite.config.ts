import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The server serves dist/: index.html for / and /label/*, hashed files under /assets/ (cached for a year).
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: { outDir: 'dist', assetsDir: 'assets', target: 'es2022', sourcemap: false },
  server: {
    proxy: {
      '/api': 'http://localhost:8787',
      '/media': 'http://localhost:8787',
      '/healthz': 'http://localhost:8787',
    },
  },
});
