import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { withCspMeta } from './main/ipc/security.js';
import { checkedRulesDefine } from './scripts/checked-rules.mjs';

const here = import.meta.dirname;

/** The built page carries the same CSP as the header the shell sends (dev keeps Vite's inline preamble). */
function cspMeta(): Plugin {
  return {
    name: 'alicloud-signin:csp-meta',
    apply: 'build',
    transformIndexHtml: { order: 'pre', handler: withCspMeta },
  };
}

export default defineConfig({
  main: {
    define: checkedRulesDefine(),
    build: {
      outDir: resolve(here, 'out/main'),
      rolldownOptions: { input: { index: resolve(here, 'main/shell/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: resolve(here, 'out/preload'),
      // A sandboxed preload can require only `electron`: everything else is bundled, as CommonJS.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(here, 'preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(here, 'renderer'),
    base: './',
    plugins: [react(), cspMeta()],
    build: {
      outDir: resolve(here, 'out/renderer'),
      emptyOutDir: true,
      minify: true,
      // No inline assets: the CSP allows only files of our own origin (data: images aside).
      assetsInlineLimit: 0,
      rolldownOptions: { input: { index: resolve(here, 'renderer/index.html') } },
    },
  },
});
