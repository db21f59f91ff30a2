import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import preact from '@preact/preset-vite'
import { crx } from '@crxjs/vite-plugin'
import manifest from './manifest.json' with { type: 'json' }

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/**
 * Chromium build. The Vite root is `src/`, so the paths in the top-level manifest.json
 * (`popup.html`, `options.html`, `background/index.ts`) are relative to `src/` and the pages
 * land at the top of `dist/chrome/` (`dist/chrome/popup.html`), where the popup size benchmark
 * looks for them. Icons come from `public/`.
 */
export default defineConfig({
  root: here('./src'),
  publicDir: here('./public'),
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false }), crx({ manifest, browser: 'chrome' })],
  build: {
    outDir: here('./dist/chrome'),
    emptyOutDir: true,
    target: 'chrome116',
    sourcemap: false,
    modulePreload: false,
  },
})
