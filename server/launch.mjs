/**
 * `npm run server`: server/node.ts, bundled by esbuild into
 * node_modules/.cache/instagram-connect/server.mjs and run by plain Node. The bundle is rebuilt
 * when any of its inputs (or this file) changed, so there is no build step to remember.
 *
 * Why not `tsx server/node.ts`: from process start to the first `/health` answer it took about
 * 650 ms on the benchmark machine, most of it tsx's loader (a second Node process, a hooks
 * thread, and a resolve/load round trip per module); the bundle answers in about 200 ms
 * (BENCHMARKS.md, row 7). If esbuild cannot build, the server still starts, through tsx.
 *
 * package.json runs this with `--max-semi-space-size=2` (MB): under load V8 otherwise grows its
 * young generation to 2 × 16 MB and keeps it. After 10,000 `POST /token` the server held 97-110 MB
 * without the flag, 74 MB with 4 and 69 MB with 2, for no measurable CPU cost (1 costs more CPU and
 * holds more: objects get promoted to the old generation sooner) (BENCHMARKS.md, row 7).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { serverBundleOptions } from './bundle.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const entry = join(root, 'server/node.ts')
const cacheDir = join(root, 'node_modules/.cache/instagram-connect')
const bundlePath = join(cacheDir, 'server.mjs')
const manifestPath = join(cacheDir, 'server.inputs.json')
const self = relative(root, fileURLToPath(import.meta.url))

/**
 * Size and modification time of every input, and of the lockfile npm writes on each install
 * (npm gives packaged files a fixed mtime, so a changed dependency may keep its file's time).
 */
function fingerprint(inputs) {
  return [...inputs, 'node_modules/.package-lock.json']
    .map((input) => {
      const stat = statSync(join(root, input), { throwIfNoEntry: false })
      return stat ? `${input} ${stat.size} ${stat.mtimeMs}` : `${input} missing`
    })
    .join('\n')
}

function upToDate() {
  try {
    const { inputs, fingerprint: recorded } = JSON.parse(readFileSync(manifestPath, 'utf8'))
    return existsSync(bundlePath) && fingerprint(inputs) === recorded
  } catch {
    return false // no manifest yet
  }
}

async function rebuild() {
  const { buildSync } = await import('esbuild')
  const result = buildSync({ ...serverBundleOptions(root, bundlePath), metafile: true, write: false })
  const inputs = [...Object.keys(result.metafile.inputs), self, 'server/bundle.mjs'].sort()
  mkdirSync(cacheDir, { recursive: true })
  // Write then rename, so that two servers starting at once never run a half-written bundle.
  const suffix = `.${process.pid}.tmp`
  writeFileSync(bundlePath + suffix, result.outputFiles[0].contents)
  renameSync(bundlePath + suffix, bundlePath)
  writeFileSync(manifestPath + suffix, JSON.stringify({ inputs, fingerprint: fingerprint(inputs) }))
  renameSync(manifestPath + suffix, manifestPath)
}

let target = pathToFileURL(bundlePath).href
if (!upToDate()) {
  try {
    await rebuild()
  } catch (error) {
    console.error(`Could not bundle the server (${error instanceof Error ? error.message.split('\n')[0] : error}); starting it through tsx instead.`)
    const { register } = await import('tsx/esm/api')
    register()
    target = pathToFileURL(entry).href
  }
}
await import(target)
