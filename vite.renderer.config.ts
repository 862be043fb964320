import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./renderer', import.meta.url));

/**
 * The window's bundle, served by the web host and loaded by Electron from disk: relative asset URLs so
 * both find it, and no inline script, since both send a CSP without 'unsafe-inline'.
 */
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./out/renderer-web', import.meta.url)),
    emptyOutDir: true,
    // The polyfill is only for browsers without modulepreload; Electron's Chromium has it.
    modulePreload: { polyfill: false },
    target: 'es2023',
    // One bundle read from disk or loopback, never over a network: splitting it would only add requests.
    chunkSizeWarningLimit: 1500,
  },
});
