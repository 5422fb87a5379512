// The web console: built into dist/apps/console and served by the gateway at /console.
// `npx nx serve console` runs Vite's dev server, which forwards the API to a running gateway
// (HOOKLINE_API, default http://localhost:3000, as `npm start` serves it).
//
// The console imports @hookline/* libraries for their types only, which the TypeScript
// transform erases; an import still there when modules are resolved is a value import, and
// fails the build (typesOnly below) instead of pulling server code into the browser.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

function typesOnly(): Plugin {
  return {
    name: 'hookline-types-only',
    enforce: 'pre',
    resolveId(id, importer) {
      if (id.startsWith('@hookline/')) this.error(`${importer ?? 'the console'} imports a value from ${id}: the console may import types only from Hookline's libraries (import type …)`);
      return null;
    },
  };
}

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.HOOKLINE_API ?? 'http://localhost:3000';

export default defineConfig({
  root,
  base: '/console/',
  plugins: [typesOnly(), react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/console', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: { '/v1': api, '/hooks': api },
  },
  test: {
    root,
    environment: 'happy-dom',
    include: ['src/**/*.spec.ts', 'src/**/*.spec.tsx'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
  },
});
