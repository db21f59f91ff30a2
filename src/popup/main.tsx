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

// One render, with the stored state: no empty frame before it. Should the read fail, the App reads itself.
// A connected account's `@username` is painted first, without Preact (./first-paint.ts); the App
// renders the whole view over it in the frame after.
void firstSnapshot
  .catch(() => undefined)
  .then((first) => {
    const view = first && deriveView(first, Date.now())
    if (view?.kind !== 'connected') return render(<App first={first} />, root)
    paintProfileHead(root, view.profile.username)
    let taken = false
    const takeOver = () => {
      removeEventListener('keydown', takeOver, true)
      if (!taken) render(<App first={first} />, root)
      taken = true
    }
    // A key pressed before then (Tab, Enter) makes the App take over at once, before the key acts:
    // it then acts on the App's view (the focused heading, its buttons), not on the bare frame.
    addEventListener('keydown', takeOver, true)
    afterNextPaint(takeOver)
  })
