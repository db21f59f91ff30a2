import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildSync } from 'esbuild'
import { minify } from 'terser'
import { defineConfig, type Plugin } from 'vite'
import preact from '@preact/preset-vite'
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin'
import source from './manifest.json' with { type: 'json' }
import pkg from './package.json' with { type: 'json' }
// With its extension: Vite's coming native config loader resolves no extensionless imports.
import { FIREFOX_EXTENSION_ID } from './server/extension-ids.ts'
import { WELCOME_PAGE } from './src/background/welcome.ts'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/**
 * The oldest Firefox the build supports: 140 (the ESR of 2025) is the first with
 * `data_collection_permissions`; the other APIs used are older (`optional_host_permissions`
 * 128, `storage.session` 115, module background scripts 112). See docs/firefox.md.
 */
export const FIREFOX_MIN_VERSION = '140.0'
/** Firefox for Android supports `data_collection_permissions` from 142. */
export const FIREFOX_ANDROID_MIN_VERSION = '142.0'

/**
 * manifest.json with the version from package.json, the one place the version is written (both
 * builds, and the file names of `npm run package`, take it from there).
 */
export const manifest = { ...source, version: pkg.version }

type Manifest = typeof manifest
type FirefoxManifest = Omit<Manifest, 'key' | 'minimum_chrome_version' | 'background'> & {
  background: { scripts: string[]; type: 'module' }
  browser_specific_settings: {
    gecko: { id: string; strict_min_version: string; data_collection_permissions: { required: string[] } }
    gecko_android: { strict_min_version: string }
  }
}

/**
 * manifest.json as Firefox wants it (docs/firefox.md): the same extension, with
 * - an event page (`background.scripts`; Firefox has no extension service workers) instead of
 *   `service_worker`;
 * - host permissions without ports: Firefox accepts `http://127.0.0.1:8787/*` but such a pattern
 *   matches nothing, so `http://127.0.0.1/*` (every port of the loopback host) it is;
 * - the fixed gecko id, so the redirect URL `https://<sha1(id)>.extensions.allizom.org/` never
 *   changes, the minimum version, and the data the extension transmits;
 * - without the Chrome-only `key` and `minimum_chrome_version`.
 */
export function firefoxManifest(source: Manifest): FirefoxManifest {
  const { key: _key, minimum_chrome_version: _minimum, background, host_permissions, ...rest } = source
  const hostOnly = [...new Set(host_permissions.map((pattern) => pattern.replace(/^([a-z*]+:\/\/[^/:]+):(?:\d+|\*)\//, '$1/')))]
  return {
    ...rest,
    host_permissions: hostOnly,
    background: { scripts: [background.service_worker], type: 'module' },
    browser_specific_settings: {
      gecko: {
        id: FIREFOX_EXTENSION_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        // The authorization code and the access token go to the exchange server (docs/firefox.md).
        data_collection_permissions: { required: ['authenticationInfo'] },
      },
      // Not a target (Firefox for Android has no `identity` API), but stated so that the
      // linter checks the manifest against the first Android release with data_collection_permissions.
      gecko_android: { strict_min_version: FIREFOX_ANDROID_MIN_VERSION },
    },
  }
}

/**
 * The dev build's manifest (`npm run dev`): crxjs's dev build loads every script from the Vite
 * dev server on localhost, and Vite injects CSS as `<style>` elements and talks HMR over a
 * WebSocket, so its pages' CSP allows that server (Chrome allows localhost sources in an unpacked
 * extension's CSP) and inline styles. Never in a build that ships.
 */
export function devManifest(source: Manifest, port: number): Manifest {
  const server = `http://localhost:${port}`
  const csp = source.content_security_policy.extension_pages
    .replace("script-src 'self'", `script-src 'self' ${server}`)
    .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    .replace(/connect-src 'self'/, `connect-src 'self' ${server} ws://localhost:${port}`)
  return { ...source, content_security_policy: { extension_pages: csp } }
}

/**
 * JSX as `h(type, props, ...children)` calls (Preact's `createElement`, already in its core)
 * instead of the automatic runtime's `jsx()`, whose own copy of the vnode constructor and the
 * `children` key in every props object cost the popup about 180 bytes gzipped (issue 18: its
 * first paint and its 10 KB budget). After @preact/preset-vite, whose `config` sets the automatic
 * runtime; type-checking and the tests keep tsconfig's `react-jsx` (same vnodes either way).
 */
const classicJsx: Plugin = {
  name: 'classic-jsx',
  apply: 'build',
  config: () => ({
    oxc: { jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment', importSource: undefined }, jsxInject: "import { h, Fragment } from 'preact'" },
  }),
}

/**
 * The popup's scripts as one file, and its stylesheets as one: Rollup splits the modules the popup shares with the options
 * page and the worker into chunks, and each chunk costs its own imports, exports and gzip
 * start. Bundled again into a single file the popup loads less (about 1 KB gzipped less), which
 * keeps it within its 10 KB budget (test/budget). The chunks stay for the other pages.
 */
function singleFilePopup(target: string): Plugin {
  return {
    name: 'single-file-popup',
    apply: 'build',
    enforce: 'post',
    async writeBundle(options) {
      const dir = options.dir!
      const htmlPath = join(dir, 'popup.html')
      const html = readFileSync(htmlPath, 'utf8')
      const tag = /<script type="module"[^>]*\ssrc="\/?([^"]+)"[^>]*><\/script>/.exec(html)
      if (tag === null) throw new Error('single-file-popup: popup.html has no module script')
      const outfile = tag[1]!.replace(/\.js$/, '.bundle.js')
      const bundled = buildSync({ absWorkingDir: dir, entryPoints: [tag[1]!], bundle: true, minify: true, format: 'esm', target, charset: 'utf8', write: false, logLevel: 'silent' })
      // terser's repeated compress passes find what one esbuild pass leaves (about 2 % gzipped).
      const minified = await minify(bundled.outputFiles[0]!.text, { module: true, ecma: 2020, compress: { passes: 3, pure_getters: true }, format: { ascii_only: false } })
      writeFileSync(join(dir, outfile), minified.code!)
      // Its stylesheets as one file too: each file an extension page loads is a request to the
      // browser process (and, in a browser driven over DevTools, a round of Network events); the
      // popup's paint waits for every stylesheet (issue 18). The shared ones stay for the other pages.
      const links = [...html.matchAll(/\s*<link rel="stylesheet"[^>]*\shref="\/?([^"]+)"[^>]*>/g)]
      const css = links.map((link) => readFileSync(join(dir, link[1]!), 'utf8')).join('\n')
      const cssFile = outfile.replace(/\.bundle\.js$/, '.bundle.css')
      writeFileSync(join(dir, cssFile), css)
      let page = html.replace(tag[0], tag[0].replace(tag[1]!, outfile))
      for (const [i, link] of links.entries()) page = page.replace(link[0], i === 0 ? link[0].replace(link[1]!, cssFile) : '')
      writeFileSync(htmlPath, page)
      // The entry chunk itself, and the stylesheets no other page links, are loaded by nothing else now.
      rmSync(join(dir, tag[1]!))
      const others = readdirSync(dir).filter((file) => file.endsWith('.html') && file !== 'popup.html').map((file) => readFileSync(join(dir, file), 'utf8'))
      for (const [, href] of links) if (!others.some((other) => other.includes(href!))) rmSync(join(dir, href!))
    },
  }
}

/**
 * Dev server only (`npm run dev`): tells the loading page of the pages no manifest key names (the
 * welcome page; scripts/dev.ts gives it crxjs's loading page) that the dev server is ready.
 *
 * In crxjs's dev build every page on disk is a loading page: it asks the dev server
 * `GET /@crx/dev-ready?path=/<page>.html` until the answer is 204, then reloads, and the reload
 * goes through the extension's service worker, whose fetch handler serves the page from the dev
 * server. crxjs answers 204 only for the pages the manifest names (popup, options) and 404 for
 * any other, so a welcome page that the worker opened before it controlled the extension's pages
 * (on install it often does: the worker is still activating) asked forever and showed nothing.
 * Registered ahead of crxjs's own answer.
 */
function devReadyPages(pages: string[]): Plugin {
  const paths = new Set(pages.map((page) => `/${page}`))
  return {
    name: 'dev-ready-pages',
    apply: 'serve',
    configureServer: {
      order: 'pre',
      handler(server) {
        server.middlewares.use((req, res, next) => {
          const url = new URL(req.url ?? '/', 'http://localhost')
          // The loading page sends its location's path and query.
          const page = url.searchParams.get('path')?.split(/[?#]/, 1)[0]
          if (url.pathname !== '/@crx/dev-ready' || page === undefined || !paths.has(page)) return next()
          // As crxjs answers: the loading page asks from the extension's origin.
          res.setHeader('Access-Control-Allow-Origin', '*')
          res.statusCode = 204
          res.end()
        })
      },
    },
  }
}

/**
 * Two builds from one source: `vite build` for Chromium (`dist/chrome/`) and
 * `vite build --mode firefox` (`dist/firefox/`). The Vite root is `src/`, so the paths in the
 * top-level manifest.json (`popup.html`, `options.html`, `background/index.ts`) are relative to
 * `src/` and the pages land at the top of the output (`dist/chrome/popup.html`), where the
 * popup size benchmark looks for them. Icons come from `public/`.
 */
export default defineConfig(({ mode, command }) => {
  const firefox = mode === 'firefox'
  // `npm run dev` (scripts/dev.ts): crxjs's dev server. Its build goes to dist/dev/, never over
  // the production build the tests load, and Preact's hot refresh (prefresh) is on.
  const dev = command === 'serve'
  const devPort = Number(process.env.DEV_PORT ?? 5173)
  return {
    root: here('./src'),
    publicDir: here('./public'),
    plugins: [
      devReadyPages([WELCOME_PAGE]),
      preact({ devToolsEnabled: false, prefreshEnabled: dev }),
      classicJsx,
      firefox
        ? crx({ manifest: firefoxManifest(manifest) as unknown as ManifestV3Export, browser: 'firefox' })
        : crx({ manifest: dev ? devManifest(manifest, devPort) : manifest, browser: 'chrome' }),
      singleFilePopup(firefox ? 'firefox140' : 'chrome116'),
    ],
    // crxjs writes this port into the dev build, so it must be the one Vite gets (DEV_PORT); the
    // pages' HMR client must be told it too, since they are not served from that origin.
    server: { port: devPort, strictPort: true, hmr: { host: 'localhost', clientPort: devPort } },
    build: {
      // The welcome page is opened by the worker on install (src/background/welcome.ts); no
      // manifest key names it, so it is an input of its own.
      rollupOptions: { input: { welcome: here('./src/welcome.html') } },
      outDir: here(dev ? './dist/dev' : firefox ? './dist/firefox' : './dist/chrome'),
      emptyOutDir: true,
      target: firefox ? 'firefox140' : 'chrome116',
      sourcemap: false,
      modulePreload: false,
    },
  }
})
