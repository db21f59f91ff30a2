import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { FIREFOX_EXTENSION_UUID, FIREFOX_PATH, launchFirefox, type FirefoxDriver } from '../../test/e2e/firefox-driver'
import { buildFirefoxExtension } from '../lib/extension'
import { FLOOR_PAGES, ownWorkLines, PAINT_PAGES, USER, writeWatchedCopies, type PaintMeasurement, type PaintPage } from '../lib/paint-watch'
import { serverEnv, startEmulatorProcess, startServerProcess, type EmulatorProcess, type ServerProcess } from '../lib/processes'
import type { RowResult } from '../lib/report'
import { median, ms, quantile } from '../lib/stats'

const OPENS = 30
const BASE = `moz-extension://${FIREFOX_EXTENSION_UUID}/`
/** The prefix of the pages' copies with the paint watcher first in their head (./paint-watch.ts). */
const WATCHED = 'bench-watched-'

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Opens `url` in a new 360×640 tab and resolves with the paint watcher's measurement. Nothing is
 * evaluated in the tab while it loads: it is asked once it has long painted.
 */
async function measureOpen(driver: FirefoxDriver, url: string): Promise<PaintMeasurement> {
  const page = await driver.browser.newPage()
  try {
    await page.setViewport({ width: 360, height: 640 })
    // Never resolves for moz-extension: pages under BiDi (firefox-driver.ts).
    page.goto(url).catch(() => undefined)
    await settle(700)
    for (let tries = 0; ; tries++) {
      try {
        const measured = await page.evaluate(() =>
          window.__usernamePaint ? Promise.race([window.__usernamePaint, new Promise<null>((r) => setTimeout(() => r(null), 5000))]) : undefined,
        )
        if (measured === null) throw new Error(`${url}: @${USER} was not painted`)
        if (measured !== undefined) return measured
      } catch (error) {
        if (tries >= 20 || (error instanceof Error && error.message.includes('was not painted'))) throw error
      }
      if (tries >= 20) throw new Error(`${url}: the paint watcher never ran`)
      await settle(200)
    }
  } finally {
    await page.close()
  }
}

/**
 * Row 9: row 5's popup open with a stored profile, and its two floors, in Firefox ESR: the
 * Firefox build installed as a temporary add-on (test/e2e/firefox-driver.ts), connected once for
 * real against the emulator (consent auto-approved) and `npm run server`, then `popup.html` and
 * the floor pages opened as tabs, interleaved, OPENS times each after a warm-up.
 */
export async function firefoxPopupPaint(): Promise<RowResult> {
  const buildDir = buildFirefoxExtension()
  let emulator: EmulatorProcess | undefined
  let server: ServerProcess | undefined
  let driver: FirefoxDriver | undefined
  try {
    for (const [file, content] of Object.entries(FLOOR_PAGES)) writeFileSync(join(buildDir, file), content)
    writeWatchedCopies(buildDir, PAINT_PAGES, USER, WATCHED)

    emulator = await startEmulatorProcess({ autoApprove: USER })
    server = await startServerProcess(serverEnv(emulator))
    // Firefox host permissions name no port (vite.config.ts): the build loads as it is.
    driver = await launchFirefox(buildDir)

    // The server URL, set as a user does it, then one connect: the popup then has a stored profile.
    const options = await driver.openOptions()
    await options.fill('Server URL', server.url)
    await options.clickButton('Save')
    await options.waitForText('Saved.')
    await options.close()
    const popup = await driver.openPopup()
    await popup.clickButton('Connect Instagram')
    await popup.waitForText(`@${USER}`)
    await popup.close()

    const paints: Record<PaintPage, number[]> = { 'popup.html': [], 'bench-floor-static.html': [], 'bench-floor-storage.html': [] }
    const doms: number[] = []
    const opened: Record<PaintPage, PaintMeasurement[]> = { 'popup.html': [], 'bench-floor-static.html': [], 'bench-floor-storage.html': [] }
    /** How each page's opens were timed, e.g. `popup.html: largest contentful paint ×30`. */
    const methods = new Map<string, number>()
    for (let run = 0; run <= OPENS; run++) {
      for (const page of PAINT_PAGES) {
        const measured = await measureOpen(driver, BASE + WATCHED + page)
        if (run === 0) continue
        paints[page].push(measured.paint)
        opened[page].push(measured)
        if (page === 'popup.html') doms.push(measured.dom)
        const method = `${page}: ${measured.how}`
        methods.set(method, (methods.get(method) ?? 0) + 1)
      }
    }

    const version = (await driver.browser.version()).replace(/^firefox\//i, '')
    const popupMedian = median(paints['popup.html'])
    const staticFloor = median(paints['bench-floor-static.html'])
    const storageFloor = median(paints['bench-floor-storage.html'])
    const ratio = popupMedian / storageFloor
    return {
      id: 9,
      title: 'Popup open with a stored profile, Firefox ESR',
      how:
        `headless Firefox ESR ${version} (${FIREFOX_PATH}) with the Firefox build installed as a temporary add-on, connected once against ` +
        `the emulator and the server; \`popup.html\` and row 5's two floor pages opened as 360×640 tabs, interleaved, ${OPENS} times each ` +
        `(after a warm-up); navigation start → the \`@${USER}\` heading painted.`,
      figures: [
        { label: `navigation start → @${USER} painted, median (p90 ${ms(quantile(paints['popup.html'], 0.9))})`, measured: ms(popupMedian), target: '' },
        { label: 'same, until the heading is in the DOM, median', measured: ms(median(doms)), target: '' },
        { label: 'floor: an extension page with the heading in its HTML, median', measured: ms(staticFloor), target: '' },
        { label: 'floor: a module script reads storage, then adds the heading, median', measured: ms(storageFloor), target: '' },
        ...ownWorkLines((page) => opened[page]),
        { label: 'the popup against the storage floor (medians)', measured: `${ratio.toFixed(2)}×`, target: '≤ 1.15×', pass: ratio <= 1.15 },
      ],
      notes: [
        `Paint measured by: ${[...methods].map(([method, n]) => `${method} ×${n}`).join(', ')} (\`bench/lib/paint-watch.ts\`). Firefox has no Element Timing API: the paint is the ` +
          '`renderTime` of the Largest Contentful Paint entry of the frame that first showed the heading (the popup\'s profile card, or the ' +
          'floor\'s lone heading, is larger than anything painted before it). The watcher runs from a classic script first in the head of a ' +
          'copy of each page, and the driver (puppeteer over WebDriver BiDi) asks for the figure only after the page has painted. ' +
          'Nothing is evaluated in the tab while it loads; a second measurement with no driver connected at all, as row 5 makes for Chromium, is not made for Firefox.',
        `The popup's own share is ${ms(popupMedian - staticFloor)} over the static page and ${ms(popupMedian - storageFloor)} over the storage floor.`,
      ],
    }
  } finally {
    await driver?.close()
    await server?.stop()
    await emulator?.stop()
    rmSync(buildDir, { recursive: true, force: true })
  }
}
