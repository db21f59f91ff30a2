import browser from '../lib/browser-native'
import { readSnapshot } from '../lib/storage'

/**
 * The popup's first storage read, started as its script starts: main.tsx imports this module
 * first, so the read is under way while Preact and the views are evaluated, and the App's
 * first render already has the stored state (issue 18: the paint at the browser's floor).
 */
export const firstSnapshot = readSnapshot(browser.storage)
