// First: starts the storage read before the modules below are evaluated.
import { firstSnapshot } from './first-read'
import { render } from 'preact'
import '../ui/base.css'
import './popup.css'
import { deriveView } from '../lib/view'
import { localizeDocument } from '../ui/localize-document'
import { afterNextPaint } from './after-paint'
import { App } from './app'
import { paintProfileHead } from './first-paint'

localizeDocument('ext_name')

const root = document.getElementById('app')!

/**
 * How long after its paint the App takes the first frame over, in ms. Its render of the whole
 * view (the main thread's longest task of the opening, and the pictures' requests) right after
 * the first frame held up that frame's presentation on a busy machine: bench row 5 under
 * Playwright, 1.19× the storage floor with it in the next frame, 1.13× with it 50 ms (or 120 ms) later.
 */
const TAKE_OVER_MS = 50

// One render, with the stored state: no empty frame before it. Should the read fail, the App reads itself.
// A connected account's `@username` is painted first, without Preact (./first-paint.ts); the App
// renders the whole view over it shortly after.
void firstSnapshot
  .catch(() => undefined)
  .then((first) => {
    const view = first && deriveView(first, Date.now())
    if (view?.kind !== 'connected') return render(<App first={first} />, root)
    paintProfileHead(root, view.profile)
    let taken = false
    const takeOver = () => {
      removeEventListener('keydown', takeOver, true)
      if (!taken) render(<App first={first} />, root)
      taken = true
    }
    // A key pressed before then (Tab, Enter) makes the App take over at once, before the key acts:
    // it then acts on the App's view (the focused heading, its buttons), not on the bare frame.
    addEventListener('keydown', takeOver, true)
    afterNextPaint(() => setTimeout(takeOver, TAKE_OVER_MS))
  })
