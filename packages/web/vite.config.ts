import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// zod re-exports every locale as `z.locales`, which defeats tree-shaking (~260 KB); the app only needs English,
// which zod imports on its own, so the namespace resolves to an empty module.
const EMPTY_LOCALES = '\0zod-locales-empty';
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  enforce: 'pre',
  resolveId(source, importer) {
    if (source === '../locales/index.js' && importer?.includes('/zod/')) return EMPTY_LOCALES;
    return null;
  },
  load(id) {
    return id === EMPTY_LOCALES ? 'export {};' : null;
  },
};

// The server serves dist/: index.html for / and /label/*, hashed files under /assets/ (cached for a year).
export default defineConfig({
  plugins: [react(), zodEnglishOnly],
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
