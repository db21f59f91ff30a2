import { decodeSnapshot } from '../lib/storage'
import { takeStorageRead } from './early-read'

/**
 * The stored state for the popup's first render: the read popup.html's first script started
 * (./early-read.ts), decoded. main.tsx imports this module first, so that, where no such script
 * ran, the read at least starts before Preact and the views are evaluated (issue 18).
 */
export const firstSnapshot = takeStorageRead().then(decodeSnapshot)
