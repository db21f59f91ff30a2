/**
 * `npm run build:server`: the Node exchange server as one self-contained file,
 * `dist/server/index.mjs` (every dependency bundled in), to copy to a host and run with plain
 * `node index.mjs` — no `npm ci`, no `node_modules`. Configured by the environment (and a `.env`
 * in its working directory) exactly like `npm run server`. README "Deploying the server".
 */
import { statSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { serverBundleOptions } from '../server/bundle.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const outfile = resolve(root, process.argv[2] ?? 'dist/server/index.mjs')

try {
  await build({ ...serverBundleOptions(root, outfile), logLevel: 'error' })
} catch {
  console.error('The server bundle could not be built; see the messages above.')
  process.exit(1)
}
const size = statSync(outfile).size
console.log(`Wrote ${relative(process.cwd(), outfile)} (${(size / 1024).toFixed(0)} KiB). Run it with: node ${relative(process.cwd(), outfile)}`)
