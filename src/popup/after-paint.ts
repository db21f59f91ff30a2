/** How long a page with no animation frame (a hidden one) waits instead, in ms: well past a shown popup's first paint. */
export const HIDDEN_PAGE_MS = 200

/**
 * Runs `then` once, in the frame after the next one: by then the next frame is painted and on
 * screen (work run right after its paint, as a task queued from its animation callbacks, held
 * up its presentation by as much: bench/popup-trace.ts). Or after `HIDDEN_PAGE_MS` at the
 * latest: a hidden page (a background tab, a popup opened as a tab behind another) has no
 * animation frames, and must follow storage all the same.
 */
export function afterNextPaint(then: () => void): void {
  let pending = true
  const once = () => pending && ((pending = false), then())
  requestAnimationFrame(() => requestAnimationFrame(once))
  setTimeout(once, HIDDEN_PAGE_MS)
}
