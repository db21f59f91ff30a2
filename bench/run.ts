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
import { popupSize } from './rows/popup-size'
import { serverOverhead } from './rows/server-overhead'
import { throughput } from './rows/throughput'

/** The product changes these measurements led to, each measured before and after in its commit. */
const CHANGES = [
  'Row 1: the body limit is checked from Content-Length, without making @hono/node-server build a body stream for every POST (`server/middleware/body.ts`).',
  'Rows 1, 3: Cache-Control and nosniff are set before `next()`, so Hono no longer rebuilds each finished response around its body stream (`server/app.ts`).',
  'Row 1: the Node entry makes its upstream calls over node:http(s) keep-alive agents instead of fetch, and hands the client the status and text instead of a Response, without converting headers through undici (`server/instagram/node-upstream.ts`).',
  'Rows 1, 3: request log lines are written once per event-loop turn, after the responses (`server/node.ts`).',
  'Row 3: the Host guard remembers the last Host it allowed; the guards return `next()` instead of adding async frames; the log line skips its Unicode regex for plain paths.',
  'Rows 1, 7: upstream call timeouts use a cleared timer instead of AbortSignal.timeout, whose timers outlived each call by 10 s (`server/instagram/client.ts`).',
  'Row 7: `npm run server` runs a cached esbuild bundle of `server/node.ts` on plain Node (`server/launch.mjs`) instead of tsx.',
  'Row 7: `npm run server` caps V8\'s young generation (`--max-semi-space-size=2`): RSS after the load about 30-40 MB lower, for no measurable CPU cost.',
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
if (!only) {
  const path = resolve(import.meta.dirname, '../BENCHMARKS.md')
  const load = { before: loadBefore, after: loadavg() }
  writeFileSync(path, markdown(results, describeMachine(CHROMIUM_PATH, load), 'npm run bench', date, (performance.now() - started) / 1000, CHANGES))
  console.log(`\nwritten to ${path}`)
}
