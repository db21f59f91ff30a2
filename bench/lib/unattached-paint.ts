import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { launchOverPipe, type CdpBrowser } from './cdp-pipe'
import { chromiumArgs } from './extension'
import { writeWatchedCopies, type PaintMeasurement } from './paint-watch'

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Opens each page `opens` times (after one warm-up round, interleaved) in a headless Chromium
 * that nothing is attached to while the page loads: the tab is created over a bare DevTools pipe,
 * and only once it has painted is it attached to and asked for the paint. Playwright, by
 * contrast, attaches to every new page and runs its own scripts there while it loads.
 * Each page is measured as a copy (`bench-unattached-<page>`) with the paint watcher
 * (`watchUsernamePaint`, ./paint-watch.ts) run by a classic script first in its head.
 * `storage` is written to `chrome.storage.local` first (from an extension page). Each
 * `variant` is opened once per round too, after the pages, with its own storage. Resolves with
 * each page's and variant's measurements (the paint and the DOM time), in the order opened, and
 * how many opens found their tab hidden (a hidden tab paints no frame; a loaded machine makes
 * some) and so were opened again, up to twice each.
 */
export async function unattachedPaints(
  executablePath: string,
  extensionDir: string,
  extensionOrigin: string,
  pages: readonly string[],
  options: { username: string; storage: Record<string, unknown>; opens: number; variants?: readonly StorageVariant[] },
): Promise<{ measurements: Record<string, PaintMeasurement[]>; hiddenOpens: number }> {
  const variants = options.variants ?? []
  writeWatchedCopies(extensionDir, [...new Set([...pages, ...variants.map((v) => v.page)])], options.username, 'bench-unattached-')
  writeFileSync(join(extensionDir, 'bench-seeder.html'), '<!doctype html><title>seeder</title>')
  const seeded = await launchSeeded(executablePath, extensionDir, extensionOrigin, options.storage)
  const { browser, open, evaluate } = seeded
  try {
    const seeder = variants.length > 0 ? await open(`${extensionOrigin}bench-seeder.html`) : ''
    const replaceStorage = (storage: Record<string, unknown>) =>
      evaluate(seeder, `chrome.storage.local.clear().then(() => chrome.storage.local.set(${JSON.stringify(storage)}))`)
    let hiddenOpens = 0
    const measureOnce = async (page: string): Promise<PaintMeasurement | 'hidden'> => {
      const targetId = await open(`${extensionOrigin}bench-unattached-${page}`)
      // false: the watcher has not run yet; null: it ran, and the heading was not painted.
      let measured: PaintMeasurement | null | false = false
      // Painted long before, usually; attaching earlier would be measuring with something attached.
      for (let tries = 0; measured === false; tries++) {
        if (tries > 20) throw new Error(`${page}: the paint watcher never ran`)
        await settle(tries === 0 ? 600 : 300)
        measured = await evaluate<PaintMeasurement | null | false>(
          targetId,
          'window.__usernamePaint ? Promise.race([window.__usernamePaint, new Promise((r) => setTimeout(() => r(null), 5000))]) : false',
        )
      }
      if (measured === null) {
        const seen = await evaluate<string>(
          targetId,
          '`${document.visibilityState}; heading ${JSON.stringify(document.querySelector("h1")?.textContent ?? null)}; text ${JSON.stringify(document.body?.innerText.slice(0, 120) ?? "")}`',
        )
        if (!seen.startsWith('hidden;')) throw new Error(`${page}: @${options.username} was not painted (${seen})`)
      }
      await browser.send('Target.closeTarget', { targetId })
      return measured ?? 'hidden'
    }
    const measure = async (page: string): Promise<PaintMeasurement> => {
      for (let tries = 0; ; tries++) {
        const measured = await measureOnce(page)
        if (measured !== 'hidden') return measured
        hiddenOpens++
        if (tries >= 2) throw new Error(`${page}: the tab stayed hidden in ${tries + 1} opens, @${options.username} was not painted`)
      }
    }
    const measurements: Record<string, PaintMeasurement[]> = Object.fromEntries([...pages, ...variants.map((v) => v.name)].map((name) => [name, []]))
    for (let run = 0; run <= options.opens; run++) {
      for (const page of pages) {
        const measured = await measure(page)
        if (run > 0) measurements[page]!.push(measured)
      }
      for (const variant of variants) {
        await replaceStorage(variant.storage)
        const measured = await measure(variant.page)
        if (run > 0) measurements[variant.name]!.push(measured)
        await replaceStorage(options.storage)
      }
    }
    return { measurements, hiddenOpens }
  } finally {
    await seeded.close()
  }
}

/** A page opened with other contents in `chrome.storage.local` (swapped in from another tab before it opens, and back after), reported as `name`. */
export interface StorageVariant {
  name: string
  page: string
  storage: Record<string, unknown>
}

export interface SeededBrowser {
  browser: CdpBrowser
  /** Opens `url` in a new tab, without attaching to it; its target id. */
  open(url: string): Promise<string>
  /** Attaches to the tab and evaluates `expression` there (promises awaited, the value returned). */
  evaluate<T>(targetId: string, expression: string): Promise<T>
  close(): Promise<void>
}

/**
 * A headless Chromium with the extension, driven over a bare DevTools pipe, in a fresh profile
 * whose `chrome.storage.local` holds `storage` (written from an extension page, once the
 * extension has loaded).
 */
export async function launchSeeded(executablePath: string, extensionDir: string, extensionOrigin: string, storage: Record<string, unknown>): Promise<SeededBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'ig-connect-bench-unattached-'))
  const browser = launchOverPipe(executablePath, ['--headless', ...chromiumArgs(extensionDir), `--user-data-dir=${userDataDir}`, 'about:blank'])
  const close = async () => {
    await browser.close()
    rmSync(userDataDir, { recursive: true, force: true })
  }
  const evaluate = async <T>(targetId: string, expression: string): Promise<T> => {
    const { sessionId } = await browser.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true })
    const reply = await browser.send<{ result: { value: T }; exceptionDetails?: { text: string } }>(
      'Runtime.evaluate',
      { expression, awaitPromise: true, returnByValue: true },
      sessionId,
    )
    if (reply.exceptionDetails) throw new Error(`${expression.slice(0, 60)}…: ${reply.exceptionDetails.text}`)
    return reply.result.value
  }
  const open = (url: string) => browser.send<{ targetId: string }>('Target.createTarget', { url }).then((r) => r.targetId)
  try {
    // The extension loads with the browser; its pages open once it has.
    const seeder = await open(`${extensionOrigin}options.html`)
    for (let tries = 0; ; tries++) {
      await settle(250)
      try {
        await evaluate(seeder, `chrome.storage.local.set(${JSON.stringify(storage)})`)
        break
      } catch (error) {
        if (tries > 40) throw error
      }
    }
    await browser.send('Target.closeTarget', { targetId: seeder })
  } catch (error) {
    await close()
    throw error
  }
  return { browser, open, evaluate, close }
}
