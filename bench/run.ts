/**
 * `npm run bench`: every row of issue 7 measured side by side, printed as a table and written
 * to BENCHMARKS.md with the machine, the date and the command. `npm run bench -- --only 1,3`
 * runs some rows and prints them without touching BENCHMARKS.md; add `--markdown` to also print
 * the Markdown that a full run would write for them.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { resolve } from 'node:path'
import { buildChromeExtension, CHROMIUM_PATH } from './lib/extension'
import { describeMachine } from './lib/machine'
import { consoleTable, markdown, type RowResult } from './lib/report'
import { browserRows } from './rows/browser'
import { firefoxPopupPaint } from './rows/firefox'
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
  'Rows 5, 9: the popup\'s storage read is the first thing its script does (`src/popup/first-read.ts`), while the rest of the script is evaluated; the App renders once, with the stored state, instead of an empty frame and then a second render after its own read.',
  'Rows 5, 9: the opening\'s first frame is the profile card alone (`src/popup/views/connected.tsx`); the posts (their picture requests), the status line, the second storage read, the worker\'s `getState` and the revalidation follow the paint. `bench/popup-trace.ts` had shown the module waterfall (the entry, then its three chunks: about 35 ms on the loaded machine), the read starting only after Preact mounted, and the first full render at 20-30 ms of main thread, half of it requesting pictures.',
  'Rows 4, 5: the build compiles JSX to Preact\'s `h()` (`classic-jsx` in vite.config.ts) instead of the automatic runtime\'s `jsx()`: the popup bundle 10,091 → 9,875 B gzipped with the changes above (main alone was at 9,999 B).',
  'Rows 5, 9, measured in one run each on the loaded machine (load average about 14 on 2 cores), popup / storage floor: before, 1.50× under Playwright and 1.45× unattached, Firefox 1.25×; after (with the accounts merge\'s single-file popup), 1.07× and 1.04×, 10 accounts 0.91× one account, Firefox 1.07-1.16×.',
  'Rows 5, 9: what follows the first frame (the posts, the second read, `getState`, the revalidation) runs one frame after its paint (`afterNextPaint`, now `src/popup/after-paint.ts`), not in a task right after it: `bench/popup-trace.ts` showed those 29 ms running between the frame\'s commit and its presentation, which came 9 ms after the commit instead of 3. A page that gets no animation frame (a hidden tab) runs them after 200 ms instead, so it still follows storage and revalidates (e2e: `follows storage … no animation frame` in Chromium, a hidden tab in Firefox).',
  'Rows 5, 9: the first frame\'s pictures (the header\'s icon, the avatars) load lazily, so they are requested after its paint instead of while it is rendered (`bench/popup-trace.ts` under Playwright: 2 ms of requests in the render; an interleaved A/B, 30 opens each: 76 → 72 ms median).',
  'Rows 5, 9 on main with i18n, live regions, the reliability work and several accounts (30 opens each, load average 1-6 on 2 cores shared with other work): before, 1.33× under Playwright and 1.19× unattached. After, in eight runs: under Playwright 1.27, 1.06, 1.05, 1.08, 1.29, 1.19, 1.19 and 1.27× (the popup about 12-16 ms over the storage floor: on a quiet machine, where the floor is 60-64 ms, that is 1.19-1.27×; the 1.05-1.08× runs were loaded ones); unattached 1.06, 1.12, 1.00, 1.23 (load average 6), 1.06, 1.00, 1.00 and 1.00×; 10 accounts 0.90-1.06× one account (one 4 ms step); Firefox 1.13, 1.06, 1.10, 1.43, 1.16, 1.11 and 1.14×. The popup bundle 9,949 → 9,879 B gzipped.',
  'Rows 5, 9: a connected account\'s first frame is a copy of a `<template>` in popup.html with the initial and `@username` filled in (`src/popup/first-paint.ts`), painted as soon as the read is done; Preact renders the whole view over it a frame later, taking its elements over (an e2e test checks nothing in it changes). `bench/popup-trace.ts`: the main thread\'s work between the read and that frame 7.6 → 0.6-3.1 ms. The header\'s icon, the options icon and the notices\' alert icon are CSS (`public/icons/*.svg` as masks in the text colour): the bundle 9,975 → 9,792 B gzipped with the painter. Runs while making it (30 opens, quiet machine): under Playwright 1.25, 1.17, 1.28×; unattached 1.00, 1.05, 0.95×; 10 accounts 0.95-1.05×; Firefox 1.07, 1.07, 1.10× (1.24× in the last full run before).',
  'Rows 5, 9 (the benchmark): each page\'s time is split at the arrival of its HTML (`responseEnd`) and its own work from there to the heading in the DOM, on `performance.now()`\'s clock; the paint waits for the next frame (about every 16 ms), so two pages whose heading is in the DOM a few ms apart can paint a whole frame apart. An open whose tab stayed hidden is made again (it paints no frame).',
  'Rows 5, 9: the popup\'s stylesheets are one file (`singleFilePopup` in vite.config.ts): each file is a request to the browser process, and under Playwright a round of Network events too; the paint waits for every stylesheet. Consecutive runs on a quiet machine, the popup\'s own work (its HTML\'s arrival to the heading in the DOM) over the storage floor\'s: under Playwright +9.3 → +4.1 ms, unattached +5.5 → +4.6 ms; popup / storage floor under Playwright 1.27 → 1.19×.',
  'Rows 5, 9: the App takes the first frame over 50 ms after its paint (`TAKE_OVER_MS` in `src/popup/main.tsx`) instead of in the next frame: its render of the whole view, and the pictures\' requests, held up that frame\'s presentation. Row 5 under Playwright, consecutive runs on a quiet machine: in the next frame 1.19× the storage floor (the heading in the DOM 3.9 ms after the floor\'s, painted 12 ms after); 120 ms later 1.13×; 50 ms later 1.13×. A key pressed before the takeover makes it happen at once (e2e).',
  'Rows 5, 9: a separate first script that starts the storage read while the bundle loads was measured and not kept: in Chromium the popup\'s local files arrive together, and the async script ran after the bundle had started its own read (bench/popup-trace.ts).',
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
  { ids: [9], run: async () => [await firefoxPopupPaint()] },
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
const report = () => {
  const load = { before: loadBefore, after: loadavg() }
  return markdown(results, describeMachine(CHROMIUM_PATH, load), 'npm run bench', date, (performance.now() - started) / 1000, CHANGES)
}
if (!only) {
  const path = resolve(import.meta.dirname, '../BENCHMARKS.md')
  writeFileSync(path, report())
  console.log(`\nwritten to ${path}`)
} else if (process.argv.includes('--markdown')) {
  console.log(`\n${report()}`)
} else {
  // Some rows only: their notes too, since BENCHMARKS.md is not written.
  for (const row of results) console.log(`\nRow ${row.id}:\n\n${row.notes.join('\n\n')}`)
}
