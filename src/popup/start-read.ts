/**
 * popup.html's first script, bundled into a file of its own by the build (vite.config.ts,
 * `singleFilePopup`): it only starts the storage read the popup's first frame needs.
 */
import { startStorageRead } from './early-read'

void startStorageRead()
