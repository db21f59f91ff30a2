/**
 * `npm run package`: what the stores take, into `artifacts/` (or ARTIFACTS_DIR), named with the
 * version from package.json (the one place it is written):
 *
 * - `instagram-connect-<version>-chrome.zip`: dist/chrome/ for the Chrome Web Store, without the
 *   manifest `key` the store refuses (scripts/lib/store-manifest.ts);
 * - `instagram-connect-<version>-firefox.zip`: dist/firefox/ for addons.mozilla.org, as built
 *   (its gecko id fixes the Firefox id and redirect URL);
 * - `instagram-connect-<version>-sources.zip`: the sources AMO asks for with bundled code, with
 *   build instructions (scripts/lib/sources-readme.ts) that rebuild dist/firefox/ exactly.
 *
 * Builds first (`npm run build`) unless SKIP_BUILD=1.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { chromeStoreManifest } from './lib/store-manifest'
import { sourcesReadme } from './lib/sources-readme'
import { folderEntries, zip, type ZipEntry } from './lib/zip'

/** What the sources archive holds: exactly what `npm ci && npm run build` needs. */
const SOURCE_PATHS = ['src', 'public', 'manifest.json', 'vite.config.ts', 'tsconfig.json', 'package.json', 'package-lock.json', 'server/extension-ids.ts']

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string }
const out = resolve(process.env.ARTIFACTS_DIR ?? 'artifacts')
const name = (kind: string) => `${pkg.name}-${pkg.version}-${kind}.zip`

if (process.env.SKIP_BUILD !== '1') {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' })
  if (build.status !== 0) {
    console.error('The extension build failed; see the messages above.')
    process.exit(1)
  }
}

function builtVersion(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { version: string }).version
}
for (const dir of ['dist/chrome', 'dist/firefox']) {
  if (builtVersion(dir) !== pkg.version) {
    console.error(`${dir} was built for version ${builtVersion(dir)}, not ${pkg.version}: run npm run build (or leave SKIP_BUILD unset).`)
    process.exit(1)
  }
}

const chrome = folderEntries(resolve('dist/chrome')).map((entry): ZipEntry => {
  if (entry.name !== 'manifest.json') return entry
  return { name: entry.name, data: `${JSON.stringify(chromeStoreManifest(JSON.parse(entry.data.toString())), null, 2)}\n` }
})
const firefox = folderEntries(resolve('dist/firefox'))
const sources: ZipEntry[] = [
  ...SOURCE_PATHS.flatMap((path) => (statSync(path).isDirectory() ? folderEntries(resolve(path), resolve('.')) : [{ name: path, data: readFileSync(path) }])),
  {
    name: 'README.md',
    data: sourcesReadme({
      version: pkg.version,
      node: process.versions.node,
      npm: execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim(),
      packageName: name('firefox'),
    }),
  },
].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))

mkdirSync(out, { recursive: true })
for (const [kind, entries] of [['chrome', chrome], ['firefox', firefox], ['sources', sources]] as const) {
  const path = join(out, name(kind))
  const data = await zip(entries)
  writeFileSync(path, data)
  console.log(`${relative(process.cwd(), path)}  ${(data.length / 1024).toFixed(0)} KiB, ${entries.length} files`)
}
console.log('\nUpload the chrome zip at https://chrome.google.com/webstore/devconsole, the firefox zip and the sources zip at https://addons.mozilla.org/developers/ (README "Publishing").')
