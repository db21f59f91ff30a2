/**
 * `npm run bench`: every row of issue 7 measured side by side, printed as a table and written
 * to BENCHMARKS.md with the machine, the date and the command. `npm run bench -- --only 1,3`
 * runs some rows and prints them without touching BENCHMARKS.md.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { resolve } from 'node:path'
import { buildChromeExtension, CHROMIUM_PATH } from './lib/extension'
import { describeMachine } from './lib/machine'
import { consoleTable, markdown, type RowResult } from './lib/report'
import { browserRows } from './rows/browser'
import { latencyShape } from './rows/latency-shape'
import { memoryAndStart } from './rows/memory-start'
import { peersSideBySide } from './rows/peers'
import { popupSize } from './rows/popup-size'
import { serverOverhead } from './rows/server-overhead'
import { throughput } from './rows/throughput'

/** The product changes these measurements led to, each measured before and after in its commit. */
const CHANGES = [
  'Row 1: the body limit is checked from Content-Length, without making @hono/node-server build a body stream for every POST (`server/middleware/body.ts`).',
  'Rows 1, 3: the Host, Origin and 405 checks and the log line run in one synchronous function around the Hono app (`server/front-door.ts`) instead of four Hono middlewares and an async wrapper: a route without middleware is called directly, and an answer ready at once is not wrapped in a promise. Throughput 0.56-0.75× → 0.84-0.96× of bare Hono in the runs since.',
  'Rows 1, 3: every answer is built by `apiJson` (`server/response.ts`) with its headers (JSON, `no-store`, `nosniff`) as a plain object, which @hono/node-server writes straight into the socket; Hono\'s `c.header` and `c.json` build a Headers object that is converted field by field.',
  'Row 1: the Node entry makes its upstream calls over node:http(s) keep-alive agents instead of fetch, and hands the client the status and text instead of a Response (`server/instagram/node-upstream.ts`); its timeout is a plain timer that destroys the request, not an AbortController with EventTarget listeners (server CPU per `POST /token` 1.72 → 1.56 ms).',
  'Rows 1, 3: request log lines are written once per event-loop turn, after the responses (`server/node.ts`); a healthy `GET /health` (a probe) is not logged.',
  'Row 3: the Host guard remembers the last Host it allowed; the log line skips its Unicode regex for plain paths.',
  'Row 7: `npm run server` runs a cached esbuild bundle of `server/node.ts` on plain Node (`server/launch.mjs`) instead of tsx.',
  'Row 7: `npm run server` caps V8\'s young generation (`--max-semi-space-size=2`): RSS after the load about 30-40 MB lower, for no measurable CPU cost.',
  'Rows 1, 8: the Node upstream parses the part of each URL before its query once and remembers it (a handful: the token URL and a few Graph paths), appending the query URLSearchParams wrote, instead of a WHATWG URL per call that Node then converts into options; the client writes Graph URLs as strings (`server/instagram/node-upstream.ts`, `server/instagram/client.ts`). Server CPU per `POST /token` 0.92-0.93 → 0.87 ms (bench/compare.ts at concurrency 10, two processes of each build).',
  'Row 7: the Redis client (ioredis, 60 % of the bundled server\'s code) is loaded by a dynamic import only when `RATE_LIMIT_REDIS_URL` is set (`server/start.ts`); esbuild keeps it inside the one bundle file, unevaluated. RSS at start 71 → 66 MB, after the load 1-3 MB lower (A/B of the two bundles, 2 runs each). The rest of the rise from 69.9 MB (Node 20) to 106 MB is Node 26 itself: the server as it was then, bundled and run on Node 26 here, ends at 86-88 MB; the bare node:http relay rose from 57.6 to 78-80 MB.',
  'Row 8 (the benchmark, not the product): a bare node:http relay of the same three calls (`bench/bare-node.ts`) is timed beside the peers, the least any Node server spends on `POST /token`\'s work; the row says from its own figures whether even that floor reaches the targets (in the runs while adding it: 0.86× the fastest peer\'s median at 1, 0.93× at 50, 0.85× its requests/s: out of reach).',
  'Row 1 (the benchmark): the note gives each server\'s CPU per request at concurrency 100 and the median that CPU accounts for on two cores.',
]

const onlyArg = process.argv.indexOf('--only')
const only = onlyArg >= 0 ? new Set((process.argv[onlyArg + 1] ?? '').split(',').map(Number)) : undefined
const wanted = (...ids: number[]) => !only || ids.some((id) => only.has(id))

let buildDir: string | undefined
const build = () => (buildDir ??= buildChromeExtension())

const groups: { ids: number[]; run: () => Promise<RowResult[]> }[] = [
  { ids: [1], run: async () => [await serverOverhead()] },
  { ids: [2], run: async () => [await latencyShape()] },
  { ids: [3], run: async () => [await throughput()] },
  { ids: [4], run: async () => [popupSize(build())] },
  { ids: [5, 6], run: () => browserRows(build()) },
  { ids: [7], run: async () => [await memoryAndStart()] },
  { ids: [8], run: async () => [await peersSideBySide()] },
]

const started = performance.now()
const date = new Date()
const loadBefore = loadavg()
const results: RowResult[] = []
try {
  for (const group of groups) {
    if (!wanted(...group.ids)) continue
    process.stdout.write(`row ${group.ids.join(', ')}… `)
    const t = performance.now()
    try {
      results.push(...(await group.run()).filter((row) => wanted(row.id)))
      console.log(`${((performance.now() - t) / 1000).toFixed(0)} s`)
    } catch (error) {
      // One row that cannot run (no Chromium, say) should not cost the others their figures.
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error)
      console.log(`failed: ${message}`)
      for (const id of group.ids.filter((id) => wanted(id))) {
        results.push({ id, title: `Row ${id}`, how: 'not measured.', figures: [{ label: 'could not run', measured: 'error', target: '', pass: false }], notes: [`The row failed: ${message}`] })
      }
    }
  }
} finally {
  if (buildDir) rmSync(buildDir, { recursive: true, force: true })
}
results.sort((a, b) => a.id - b.id)
console.log()
console.log(consoleTable(results))
// Some rows only: their notes too, since BENCHMARKS.md is not written.
if (only) for (const row of results) console.log(`\nRow ${row.id}:\n\n${row.notes.join('\n\n')}`)
if (!only) {
  const path = resolve(import.meta.dirname, '../BENCHMARKS.md')
  const load = { before: loadBefore, after: loadavg() }
  writeFileSync(path, markdown(results, describeMachine(CHROMIUM_PATH, load), 'npm run bench', date, (performance.now() - started) / 1000, CHANGES))
  console.log(`\nwritten to ${path}`)
}
