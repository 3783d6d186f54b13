// Renderer bundle: renderer/ → dist/renderer/ (relative asset paths, so the same build loads
// from file:// in Electron and from `flowcase serve`).
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../renderer', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/renderer', import.meta.url));

/**
 * `tsc -b` also compiles the renderer's pure chart/list modules into dist/renderer/src/ for
 * the unit tests, so emptying dist/renderer would delete them (and tsc, seeing its build
 * info up to date, would not emit them again). Remove only what this build writes.
 */
function cleanOwnOutput() {
  return {
    name: 'flowcase-clean-renderer-output',
    apply: 'build',
    buildStart() {
      for (const p of ['assets', 'index.html']) rmSync(`${outDir}/${p}`, { recursive: true, force: true });
    },
  };
}

export default defineConfig({
  root,
  base: './',
  publicDir: false,
  plugins: [svelte(), cleanOwnOutput()],
  build: {
    outDir,
    emptyOutDir: false,
    target: 'es2022',
    sourcemap: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 800,
  },
  server: {
    host: '127.0.0.1',
    // `vite --config build/vite.config.mjs` against a running `flowcase serve` (FLOWCASE_API=http://127.0.0.1:PORT).
    proxy: process.env.FLOWCASE_API ? { '/api': { target: process.env.FLOWCASE_API, ws: true } } : undefined,
  },
});
