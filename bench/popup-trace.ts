/**
 * `tsx bench/popup-trace.ts [opens]`: where the popup's paint time goes, from Chromium's own
 * tracing (the DevTools `Tracing` domain over a bare pipe, so nothing is attached to the page
 * while it loads). Builds the extension, connects once for real (emulator with auto-approve,
 * `npm run server`) to store a profile, then opens `popup.html` and row 5's storage floor
 * `opens` times each (default 5, after a warm-up) with tracing on, and prints for the median
 * open of each: the scripts and styles it loaded (bytes, when requested and finished), and the
 * renderer main thread's work from navigation start to the heading's paint (parse, compile and
 * evaluate of each module, tasks, style, layout, paint), in milliseconds since navigation start.
 * The raw traces are written to bench/profiles/popup-*.json (open them in DevTools' Performance panel).
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { CHROMIUM_PATH, EXTENSION_ID, buildChromeExtension, launchChromium, loadableCopy, saveServerUrl } from './lib/extension'
import { FLOOR_PAGES, USER, writeWatchedCopies } from './lib/paint-watch'
import { serverEnv, startEmulatorProcess, startServerProcess } from './lib/processes'
import { launchSeeded } from './lib/unattached-paint'
import { median } from './lib/stats'
import { summariseTrace, type TraceEvent } from './lib/trace-summary'

const opens = Number(process.argv[2] ?? 5)
const BASE = `chrome-extension://${EXTENSION_ID}/`
const PAGES = ['popup.html', 'bench-floor-storage.html']
const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'v8',
  'blink.user_timing',
  'loading',
  'toplevel',
  'blink',
  'navigation',
].join(',')
const settle = (ms: number) => new Promise((done) => setTimeout(done, ms))

const buildDir = buildChromeExtension()
const extensionDir = loadableCopy(buildDir)
for (const [file, content] of Object.entries(FLOOR_PAGES)) writeFileSync(join(extensionDir, file), content)
writeWatchedCopies(extensionDir, PAGES, USER, 'bench-trace-')
const emulator = await startEmulatorProcess({ autoApprove: USER })
const server = await startServerProcess(serverEnv(emulator))
try {
  // One real connect, as row 5 does, for a stored profile.
  const chromium = await launchChromium(CHROMIUM_PATH, extensionDir, EXTENSION_ID)
  let storage: Record<string, unknown>
  try {
    await saveServerUrl(chromium.context, server.url)
    const popup = await chromium.context.newPage()
    await popup.goto(`${BASE}popup.html`)
    await popup.getByRole('button', { name: 'Connect Instagram', exact: true }).click()
    await popup.getByText(`@${USER}`).first().waitFor()
    await popup.close()
    const worker = chromium.context.serviceWorkers().find((w) => w.url().startsWith(BASE))!
    storage = await worker.evaluate<Record<string, unknown>>('chrome.storage.local.get(null)')
  } finally {
    await chromium.close()
  }

  const seeded = await launchSeeded(CHROMIUM_PATH, extensionDir, BASE, storage)
  const { browser } = seeded
  const outDir = resolve(import.meta.dirname, 'profiles')
  mkdirSync(outDir, { recursive: true })
  try {
    let events: TraceEvent[] = []
    let completed = () => {}
    browser.on('Tracing.dataCollected', (params) => events.push(...(params.value as TraceEvent[])))
    browser.on('Tracing.tracingComplete', () => completed())
    const trace = async (url: string): Promise<{ events: TraceEvent[]; paint: number }> => {
      events = []
      const complete = new Promise<void>((done) => (completed = done))
      await browser.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' })
      const targetId = await seeded.open(url)
      await settle(800)
      await browser.send('Tracing.end')
      await complete
      const paint = await seeded.evaluate<number>(targetId, 'window.__usernamePaint.then((m) => m.paint)')
      await browser.send('Target.closeTarget', { targetId })
      return { events, paint }
    }
    for (const page of PAGES) {
      const url = `${BASE}bench-trace-${page}`
      await trace(url) // warm-up
      const runs: { events: TraceEvent[]; paint: number }[] = []
      for (let i = 0; i < opens; i++) runs.push(await trace(url))
      const middle = median(runs.map((r) => r.paint))
      const chosen = runs.find((r) => r.paint === middle)!
      const file = join(outDir, `popup-trace-${page.replace('.html', '')}.json`)
      writeFileSync(file, JSON.stringify({ traceEvents: chosen.events }))
      console.log(`\n=== ${page}: paint ${runs.map((r) => r.paint.toFixed(1)).join(', ')} ms; the median open (${middle.toFixed(1)} ms):`)
      console.log(summariseTrace(chosen.events, url, middle, (path) => statSync(join(extensionDir, path)).size))
      console.log(`(trace: ${file})`)
    }
  } finally {
    await seeded.close()
  }
} finally {
  await server.stop()
  await emulator.stop()
  rmSync(extensionDir, { recursive: true, force: true })
  rmSync(buildDir, { recursive: true, force: true })
}
