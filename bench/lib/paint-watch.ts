import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { median, ms } from './stats'

/**
 * What rows 5 and 9 measure in a page: navigation start → the `@username` heading painted, and
 * the floor pages they compare the popup with. Shared by Chromium (row 5) and Firefox (row 9),
 * so that both browsers measure the same pages the same way.
 */

/** The account the benchmark connects (the emulator auto-approves it). */
export const USER = 'jayposiris'

/**
 * Floors, added to the benchmark's copy of the extension only: what the browser itself costs to
 * show an extension page with the heading in its HTML, and with the heading rendered by a module
 * script after one storage read (no framework, no CSS). Keyed by file name.
 */
export const FLOOR_PAGES: Readonly<Record<string, string>> = {
  'bench-floor-static.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title></head><body><h1 class="handle">@${USER}</h1></body></html>`,
  'bench-floor-storage.html':
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title><script type="module" src="bench-floor-storage.js"></script></head><body><div id="app"></div></body></html>',
  'bench-floor-storage.js': `await chrome.storage.local.get(null)\nconst h = document.createElement('h1')\nh.className = 'handle'\nh.textContent = '@${USER}'\ndocument.getElementById('app').append(h)\n`,
}

/** The pages rows 5 and 9 open, interleaved: the popup, then the two floors. */
export const PAINT_PAGES = ['popup.html', 'bench-floor-static.html', 'bench-floor-storage.html'] as const
export type PaintPage = (typeof PAINT_PAGES)[number]

/** How a paint was timed (see `watchUsernamePaint`). */
export type PaintMethod = 'element timing' | 'largest contentful paint' | 'animation frames'

export interface PaintMeasurement {
  /** Milliseconds since navigation start until the heading was painted. */
  paint: number
  /** Milliseconds since navigation start until the heading was in the DOM with its text. */
  dom: number
  /** Milliseconds since navigation start until the page's HTML had arrived (Navigation Timing's `responseEnd`). */
  response: number
  how: PaintMethod
}

declare global {
  interface Window {
    __usernamePaint?: Promise<PaintMeasurement>
  }
}

/**
 * Runs in the page before its own scripts (it is serialised into the page, so it must be
 * self-contained) and leaves in `window.__usernamePaint` a promise of when `h1.handle` showing
 * `@username` was painted, in milliseconds since navigation start:
 *
 * - Chromium: the heading is marked for the Element Timing API, whose `renderTime` is the paint.
 * - Firefox (no Element Timing): the `renderTime` of the Largest Contentful Paint entry of the
 *   frame that first showed the heading: every frame that paints a larger element than before
 *   reports one, and the popup's profile card (or the floor's lone heading) is larger than what
 *   was painted before it. An entry counts if it was painted after the heading entered the DOM
 *   and before the second animation frame after that (by then the heading's frame is painted).
 * - Otherwise, or with no such entry: the time of that second animation frame.
 */
export function watchUsernamePaint(username: string): void {
  window.__usernamePaint = new Promise((resolve) => {
    const elementTiming = PerformanceObserver.supportedEntryTypes.includes('element')
    const largestPaint = PerformanceObserver.supportedEntryTypes.includes('largest-contentful-paint')
    let dom = 0
    const painted: number[] = []
    const arrived = () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.responseEnd ?? Number.NaN
    if (elementTiming) {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { identifier?: string; renderTime?: number })[]) {
          if (entry.identifier === 'username') resolve({ paint: entry.renderTime || entry.startTime, dom, response: arrived(), how: 'element timing' })
        }
      }).observe({ type: 'element', buffered: true })
    } else if (largestPaint) {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { renderTime?: number })[]) painted.push(entry.renderTime || entry.startTime)
      }).observe({ type: 'largest-contentful-paint', buffered: true })
    }
    const check = () => {
      const handle = document.querySelector('h1.handle')
      if (!handle || handle.textContent !== `@${username}`) return
      // Again whenever it is gone: the popup's App takes over its first frame's elements
      // (src/popup/first-paint.ts) and drops the attributes it did not render itself, and Chromium
      // reports a text's paint when its frame is presented, only for an element marked then.
      if (!handle.hasAttribute('elementtiming')) handle.setAttribute('elementtiming', 'username')
      if (dom) return
      dom = performance.now()
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          const framesDone = performance.now()
          // Performance entries are delivered a little later than the frame; Element Timing's resolves first.
          setTimeout(() => {
            const paint = painted.find((time) => time >= dom && time <= framesDone)
            resolve(paint === undefined ? { paint: framesDone, dom, response: arrived(), how: 'animation frames' } : { paint, dom, response: arrived(), how: 'largest contentful paint' })
          }, elementTiming ? 500 : 100)
        }),
      )
    }
    new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true })
  })
}

/**
 * The classic script that runs `watchUsernamePaint(username)` first in a page. tsx compiles the
 * bench with esbuild's keepNames, which wraps functions in `__name(…)`; the page needs that helper.
 */
export function watchScript(username: string): string {
  return `globalThis.__name ??= (target) => target;\n(${watchUsernamePaint.toString()})(${JSON.stringify(username)})\n`
}

/** `html` with a classic `<script src>` first in its head (the paint watcher, before the page's own scripts). */
export function withScriptFirst(html: string, src: string): string {
  if (!/<head>/i.test(html)) throw new Error('the page has no <head>')
  return html.replace(/<head>/i, `<head><script src="${src}"></script>`)
}

/**
 * Writes into a build `dir` the paint watcher (`bench-watch.js`) and, for each page, a copy
 * named `prefix + page` that runs it first in its head: how a page is measured when nothing can
 * inject the watcher before the page's own scripts.
 */
export function writeWatchedCopies(dir: string, pages: readonly string[], username: string, prefix: string): void {
  writeFileSync(join(dir, 'bench-watch.js'), watchScript(username))
  for (const page of pages) writeFileSync(join(dir, prefix + page), withScriptFirst(readFileSync(join(dir, page), 'utf8'), '/bench-watch.js'))
}

/** A figure line of rows 5 and 9 (bench/lib/report.ts `RowResult`'s figures). */
interface Line {
  label: string
  measured: string
  target: string
}

/**
 * Two lines that split a page's paint where the page itself has no say: when its HTML had
 * arrived (the browser's navigation and the extension's file read), and what the page did from
 * there until the heading was in the DOM (its scripts, styles and storage read), both on
 * `performance.now()`'s clock, which the frame the paint waits for does not round.
 * `of(page)` gives a page's measurements; `suffix` names the browser setup ("nothing attached").
 */
export function ownWorkLines(of: (page: PaintPage) => readonly PaintMeasurement[], suffix = ''): Line[] {
  const arrival = (page: PaintPage) => median(of(page).map((m) => m.response))
  const work = (page: PaintPage) => median(of(page).map((m) => m.dom - m.response))
  const tail = suffix === '' ? '' : `, ${suffix}`
  // Firefox gives extension pages no Navigation Timing `responseEnd` (0): then the page's work is timed from navigation start.
  if (PAINT_PAGES.every((page) => !(arrival(page) > 0))) {
    return [
      {
        label: `navigation start (no \`responseEnd\` for extension pages here) until the heading is in the DOM, median: the popup / the storage floor${tail}`,
        measured: `${ms(work('popup.html'))} / ${ms(work('bench-floor-storage.html'))}`,
        target: '',
      },
    ]
  }
  return [
    {
      label: `the page's HTML arrived (\`responseEnd\`), median: the popup / the storage floor / the static floor${tail}`,
      measured: `${ms(arrival('popup.html'))} / ${ms(arrival('bench-floor-storage.html'))} / ${ms(arrival('bench-floor-static.html'))}`,
      target: '',
    },
    {
      label: `from there until the heading is in the DOM, median: the popup / the storage floor${tail}`,
      measured: `${ms(work('popup.html'))} / ${ms(work('bench-floor-storage.html'))}`,
      target: '',
    },
  ]
}
