/**
 * `tsx bench/profile.ts token|health [--bare] [concurrency] [count]`: load on the server with
 * --cpu-prof on, its profile written to bench/profiles/. `token` drives `POST /token` against
 * the emulator (default: concurrency 1, 3000 requests); `health` runs autocannon on
 * `GET /health` for 10 s. The server is its entry bundled as `npm run server` runs it; with
 * --bare, bench/bare-hono.ts instead. Read a profile with bench/lib/profile-summary.ts, compare
 * two with bench/lib/profile-diff.ts, or open it in Chrome DevTools.
 */
import autocannon from 'autocannon'
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { closedLoop, codeQueue } from './lib/load'
import { bundle, serverEnv, startEmulatorProcess, startServerProcess } from './lib/processes'
import { serverExchange } from './lib/upstream'

const [mode, ...rest] = process.argv.slice(2)
const bare = rest.includes('--bare')
const numbers = rest.filter((a) => a !== '--bare').map(Number)
if (mode !== 'token' && mode !== 'health') {
  console.error('usage: tsx bench/profile.ts token|health [--bare] [concurrency] [count]')
  process.exit(2)
}
const dir = resolve(import.meta.dirname, 'profiles')
mkdirSync(dir, { recursive: true })
const command = `node --cpu-prof --cpu-prof-dir=${dir} ${bundle(bare ? 'bench/bare-hono.ts' : 'server/node.ts')}`

const emulator = await startEmulatorProcess()
const server = await startServerProcess(serverEnv(emulator), command)
try {
  if (mode === 'health') {
    const result = await autocannon({ url: `${server.url}/health`, connections: 50, duration: 10 })
    console.log(`GET /health: ${Math.round(result.requests.average)} req/s`)
  } else {
    const [concurrency = 1, count = 3000] = numbers
    const exchange = serverExchange(server.url, emulator.redirectUri)
    const codes = codeQueue(await emulator.mint(count + 500))
    await closedLoop(() => exchange(codes()), concurrency, 500)
    const started = performance.now()
    await closedLoop(() => exchange(codes()), concurrency, count)
    console.log(`${count} POST /token at concurrency ${concurrency}: ${((performance.now() - started) / count).toFixed(2)} ms each on average`)
  }
} finally {
  await server.stop()
  await emulator.stop()
}
console.log(`profile in ${dir}`)
