import browser from '../lib/browser-native'
import { readSnapshot, type Snapshot } from '../lib/storage'

/**
 * The popup's first storage read, started when its script starts: main.tsx imports this module
 * first, so the read is under way while Preact and the views are evaluated (module order), and
 * the first render already has the stored account (issue 18: the paint at the browser's floor).
 * Changes made meanwhile are noted, so that the App reads again if there were any.
 */
let changed = false
const noteChange = () => {
  changed = true
}
browser.storage.onChanged.addListener(noteChange)

export const firstSnapshot: Promise<Snapshot> = readSnapshot(browser.storage)

/**
 * Ends the watch (the App listens from now on) and tells whether storage changed since the first
 * read began, in which case that read may be stale.
 */
export function changedSinceFirstRead(): boolean {
  browser.storage.onChanged.removeListener(noteChange)
  return changed
}
