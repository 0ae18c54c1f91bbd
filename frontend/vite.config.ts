import { defineConfig } from 'vitest/config';

export default defineConfig({
  // the server serves index.html for / and /rooms/*, and the assets under /assets/
  base: '/',
  esbuild: {
    jsx: 'automatic',
    jsxImportSource: 'preact',
  },
  build: {
    // Maven packages target/classes into the jar, which the http module serves as webroot/
    outDir: 'target/classes/webroot',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
  },
  server: {
    // `npm run dev` against a node on localhost:8080
    proxy: {
      '/api': { target: 'http://localhost:8080', ws: true },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // the page bundles tus-js-client's browser build (its package.json "browser" field); the tests run
    // that build too, not the Node one (which reads files and streams instead of Blobs)
    alias: [{ find: /^tus-js-client$/, replacement: 'tus-js-client/lib.esm/browser/index.js' }],
    server: { deps: { inline: ['tus-js-client'] } },
  },
});
