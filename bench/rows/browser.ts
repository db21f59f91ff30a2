import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { CHROMIUM_PATH, EXTENSION_ID, launchChromium, loadableCopy, saveServerUrl, type Browser } from '../lib/extension'
import { FLOOR_PAGES, ownWorkLines, PAINT_PAGES, USER, watchUsernamePaint, type PaintMeasurement, type PaintPage } from '../lib/paint-watch'
import { unattachedPaints } from '../lib/unattached-paint'
import { withAccounts } from '../lib/many-accounts'
import { MAX_ACCOUNTS } from '../../src/lib/accounts'
import { serverEnv, startEmulatorProcess, startServerProcess } from '../lib/processes'
import type { RowResult } from '../lib/report'
import { compareMedians, median, ms, quantile, signedMs, times } from '../lib/stats'

const CONNECTS = 10
const OPENS = 30
/** Row 5's several accounts: the most the extension keeps (src/lib/accounts.ts). */
const ACCOUNTS = MAX_ACCOUNTS
const BASE = `chrome-extension://${EXTENSION_ID}/`

/** Clicks Connect Instagram and resolves with the milliseconds until `@USER` is in the popup. */
function clickConnectAndWait(username: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Connect Instagram')
    if (!button) return reject(new Error('no Connect Instagram button'))
    const started = performance.now()
    const check = () => {
      const handle = document.querySelector('h1.handle')
      if (handle?.textContent === `@${username}`) {
        observer.disconnect()
        resolve(performance.now() - started)
      }
    }
    const observer = new MutationObserver(check)
    observer.observe(document, { subtree: true, childList: true, characterData: true })
    button.click()
  })
}

async function openPage(page: Page, file = 'popup.html'): Promise<void> {
  await page.setViewportSize({ width: 360, height: 640 })
  await page.goto(BASE + file)
}

/**
 * Rows 5 and 6 in one headless Chromium with the built extension, against the emulator
 * (consent auto-approved as `jayposiris`) and `npm run server`, both on ephemeral ports.
 */
export async function browserRows(buildDir: string): Promise<RowResult[]> {
  const emulator = await startEmulatorProcess({ autoApprove: USER })
  const server = await startServerProcess(serverEnv(emulator))
  const extensionDir = loadableCopy(buildDir)
  for (const [file, content] of Object.entries(FLOOR_PAGES)) writeFileSync(join(extensionDir, file), content)
  let browser: Browser | undefined
  try {
    browser = await launchChromium(CHROMIUM_PATH, extensionDir, EXTENSION_ID)
    const { context } = browser
    // tsx compiles this file with esbuild's keepNames, which wraps functions in `__name(…)`; the
    // functions handed to the page need that helper there too.
    await context.addInitScript('globalThis.__name ??= (target) => target')
    await saveServerUrl(context, server.url)

    // Row 6: Connect → @username, then Disconnect, CONNECTS times after one warm-up.
    const connects: number[] = []
    for (let run = 0; run <= CONNECTS; run++) {
      const page = await context.newPage()
      await openPage(page)
      await page.getByRole('button', { name: 'Connect Instagram', exact: true }).waitFor()
      const elapsed = await page.evaluate(clickConnectAndWait, USER)
      if (run > 0) connects.push(elapsed)
      if (run < CONNECTS) {
        await page.getByRole('button', { name: 'Disconnect', exact: true }).click()
        await page.getByRole('button', { name: 'Connect Instagram', exact: true }).waitFor()
      }
      await page.close()
    }

    // Row 5: the popup opened with the profile stored by the last connect, interleaved with the
    // two floor pages, OPENS times each after a warm-up.
    const pages = PAINT_PAGES
    const paints: Record<PaintPage, number[]> = { 'popup.html': [], 'bench-floor-static.html': [], 'bench-floor-storage.html': [] }
    const doms: number[] = []
    const opened: Record<PaintPage, PaintMeasurement[]> = { 'popup.html': [], 'bench-floor-static.html': [], 'bench-floor-storage.html': [] }
    const methods = new Set<string>()
    for (let run = 0; run <= OPENS; run++) {
      for (const file of pages) {
        const page = await context.newPage()
        await page.addInitScript(watchUsernamePaint, USER)
        await openPage(page, file)
        const measured = await page.evaluate(() => window.__usernamePaint!)
        if (run > 0) {
          paints[file].push(measured.paint)
          opened[file].push(measured)
          if (file === 'popup.html') doms.push(measured.dom)
          methods.add(measured.how)
        }
        await page.close()
      }
    }

    // The same pages once more, in a browser nothing is attached to while they load.
    const worker = context.serviceWorkers().find((w) => w.url().startsWith(BASE))!
    const storage = await worker.evaluate<Record<string, unknown>>('chrome.storage.local.get(null)')
    await browser.close()
    browser = undefined
    // Several accounts: the popup opened with ACCOUNTS accounts stored, against the same popup with one, each
    // after its storage is written from another tab (so that both are opened the same way); the storage floor
    // the same way in the same rounds: the browser's own read of the larger storage.
    const several = withAccounts(storage, ACCOUNTS)
    const variants = [
      { name: 'one account', page: 'popup.html', storage },
      { name: 'several accounts', page: 'popup.html', storage: several },
      { name: 'storage floor, one account', page: 'bench-floor-storage.html', storage },
      { name: 'storage floor, several accounts', page: 'bench-floor-storage.html', storage: several },
    ]
    const { measurements: measured, hiddenOpens } = await unattachedPaints(CHROMIUM_PATH, extensionDir, BASE, pages, { username: USER, storage, opens: OPENS, variants })
    const unattached = (name: string) => measured[name]!.map((m) => m.paint)
    const unattachedDom = (name: string) => measured[name]!.map((m) => m.dom)

    const connectMedian = median(connects)
    const paintMedian = median(paints['popup.html'])
    const staticFloor = median(paints['bench-floor-static.html'])
    const storageFloor = median(paints['bench-floor-storage.html'])
    const attachedRatio = paintMedian / storageFloor
    const unattachedRatio = median(unattached('popup.html')) / median(unattached('bench-floor-storage.html'))
    const accounts = compareMedians(unattached('several accounts'), unattached('one account'))
    const accountsRatio = accounts.ratio
    const floorAccounts = compareMedians(unattached('storage floor, several accounts'), unattached('storage floor, one account'))
    const accountsDom = compareMedians(unattachedDom('several accounts'), unattachedDom('one account'))
    const floorAccountsDom = compareMedians(unattachedDom('storage floor, several accounts'), unattachedDom('storage floor, one account'))
    return [
      {
        id: 5,
        title: 'Popup open with a stored profile',
        how:
          `headless Chromium (${CHROMIUM_PATH}) with the built extension; \`popup.html\` opened in a 360×640 tab ` +
          `${OPENS} times (after a warm-up) with a profile in storage; navigation start → the \`@${USER}\` ` +
          `heading painted, measured in the page with the Element Timing API (\`renderTime\`).`,
        figures: [
          { label: `navigation start → @${USER} painted, median (p90 ${ms(quantile(paints['popup.html'], 0.9))})`, measured: ms(paintMedian), target: '≤ 50 ms', pass: paintMedian <= 50 },
          { label: 'same, until the heading is in the DOM, median', measured: ms(median(doms)), target: '' },
          { label: 'floor: an extension page with the heading in its HTML, median', measured: ms(staticFloor), target: '' },
          { label: 'floor: a module script reads storage, then adds the heading, median', measured: ms(storageFloor), target: '' },
          {
            label: 'the popup, nothing attached while it loads (DevTools pipe), median',
            measured: ms(median(unattached('popup.html'))),
            target: '',
          },
          {
            label: 'same, the static floor / the storage floor, median',
            measured: `${ms(median(unattached('bench-floor-static.html')))} / ${ms(median(unattached('bench-floor-storage.html')))}`,
            target: '',
          },
          ...ownWorkLines((page) => opened[page], 'under Playwright'),
          ...ownWorkLines((page) => measured[page]!, 'nothing attached'),
          { label: 'the popup against the storage floor, under Playwright (medians)', measured: `${attachedRatio.toFixed(2)}×`, target: '≤ 1.15×', pass: attachedRatio <= 1.15 },
          { label: 'the popup against the storage floor, nothing attached (medians)', measured: `${unattachedRatio.toFixed(2)}×`, target: '≤ 1.15×', pass: unattachedRatio <= 1.15 },
          {
            label: `the popup with ${ACCOUNTS} accounts stored against one, nothing attached (medians ${ms(accounts.a)} / ${ms(accounts.b)})`,
            measured: `${accountsRatio.toFixed(2)}×`,
            target: '≤ 1.05×',
            pass: accountsRatio <= 1.05,
          },
          {
            label: `the storage floor with ${ACCOUNTS} accounts stored against one, nothing attached (medians ${ms(floorAccounts.a)} / ${ms(floorAccounts.b)})`,
            measured: times(floorAccounts.ratio),
            target: '',
          },
          {
            label: `added by ${ACCOUNTS} accounts: the popup / the storage floor, nothing attached (differences of the medians)`,
            measured: `${signedMs(accounts.added)} / ${signedMs(floorAccounts.added)}`,
            target: '',
          },
          {
            label: `the popup with ${ACCOUNTS} accounts stored against one, until the heading is in the DOM (medians ${ms(accountsDom.a)} / ${ms(accountsDom.b)})`,
            measured: times(accountsDom.ratio),
            target: '',
          },
          {
            label: `the storage floor with ${ACCOUNTS} accounts stored against one, until the heading is in the DOM (medians ${ms(floorAccountsDom.a)} / ${ms(floorAccountsDom.b)})`,
            measured: times(floorAccountsDom.ratio),
            target: '',
          },
          {
            label: `added by ${ACCOUNTS} accounts: the popup / the storage floor, until the heading is in the DOM (differences of the medians)`,
            measured: `${signedMs(accountsDom.added)} / ${signedMs(floorAccountsDom.added)}`,
            target: '',
          },
        ],
        notes: [
          `Paint measured by: ${[...methods].join(', ')}. The two floor pages (\`${Object.keys(FLOOR_PAGES).join('`, `')}\`) exist only in the ` +
            'benchmark\'s copy of the build and are opened interleaved with the popup, in the same browser. ' +
            `${staticFloor > 50 ? `Headless Chromium here needs ${ms(staticFloor)} to paint a static extension page, so ≤ 50 ms is out of reach on this machine whatever the popup does; ` : ''}` +
            `the popup's own share is ${ms(paintMedian - staticFloor)} over the static page and ${ms(paintMedian - storageFloor)} over the storage floor.`,
          'Playwright attaches to every page it opens and runs its own scripts there while the page loads, so the ' +
            'lines from "the popup, nothing attached while it loads" on (all but the one "under Playwright") measure the same pages again in a fresh headless Chromium driven over a bare DevTools ' +
            'pipe (`bench/lib/unattached-paint.ts`): the tab is created, and only attached to after it has painted; ' +
            'a classic script first in each page\'s head marks the heading for Element Timing. The static page needs ' +
            `${ms(median(unattached('bench-floor-static.html')))} there (${ms(staticFloor)} under Playwright): the floor is the browser's, not the harness's.` +
            `${hiddenOpens > 0 ? ` Opens that found their tab hidden (it paints no frame) and were made again: ${hiddenOpens}.` : ''}`,
          `Several accounts: in the unattached browser, each round also opens the popup once with the connected account alone and once with ${ACCOUNTS - 1} ` +
            'more stored before it (copies of it under other ids, each with its profile and posts cache: `bench/lib/many-accounts.ts`), each time ' +
            'after writing that storage from another tab; the active account, and so the heading, is the same. ' +
            'The storage floor is opened the same way with the same two storages in the same rounds, so the lines "added by ' +
            `${ACCOUNTS} accounts" put the popup's extra time beside what the browser's own \`chrome.storage.local.get(null)\` of the larger ` +
            'storage adds to a page that does nothing else; the lines "until the heading is in the DOM" compare the same opens on the ' +
            '`performance.now()` clock, which is finer than the steps Element Timing\'s `renderTime` comes in (4 ms here), so a ' +
            'ratio of paint medians one step apart can be read against it.',
          'Where the time goes: `tsx bench/popup-trace.ts` prints Chromium\'s trace of the popup and of the storage floor (the scripts loaded, ' +
            'the main thread\'s work until the paint).',
        ],
      },
      {
        id: 6,
        title: 'Full connect',
        how:
          `the same browser, emulator (consent auto-approved) and server: the popup's **Connect Instagram** clicked, ` +
          `until \`@${USER}\` is in the popup (the worker's launchWebAuthFlow, the consent redirect, \`/config\`, ` +
          `\`POST /token\` and storage in between); ${CONNECTS} connects after a warm-up, each followed by Disconnect.`,
        figures: [
          { label: `click → @${USER} shown, median (p90 ${ms(quantile(connects, 0.9))})`, measured: ms(connectMedian), target: '≤ 1 s', pass: connectMedian <= 1000 },
        ],
        notes: [],
      },
    ]
  } finally {
    await browser?.close()
    rmSync(extensionDir, { recursive: true, force: true })
    await server.stop()
    await emulator.stop()
  }
}
