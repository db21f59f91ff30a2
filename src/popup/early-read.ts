import browser from '../lib/browser-native'
import { readAreas, type StoredAreas } from '../lib/stored-areas'

/** Where popup.html's first script leaves its read for the popup's bundle. */
interface Scope {
  popupStorageRead?: Promise<StoredAreas>
}

/**
 * Starts reading both storage areas, for the popup's first frame. popup.html's first script, a
 * file of its own of a few hundred bytes (./start-read.ts), calls it, so the read runs while the
 * browser still loads and compiles the popup's bundle: about 10 ms in Chromium here, which
 * followed the bundle's load before (issue 18).
 */
export function startStorageRead(): Promise<StoredAreas> {
  return ((globalThis as Scope).popupStorageRead = readAreas(browser.storage))
}

/** The read popup.html's first script started, or a new one where it did not run (`npm run dev` has no such script). */
export const takeStorageRead = (): Promise<StoredAreas> => (globalThis as Scope).popupStorageRead ?? startStorageRead()
