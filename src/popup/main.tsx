// First: starts the storage read before the modules below are evaluated.
import { changedSinceFirstRead, firstSnapshot } from './first-read'
import { render } from 'preact'
import '../ui/base.css'
import './popup.css'
import { App } from './app'

const root = document.getElementById('app')!
// One render, with the stored state: no empty frame before it. Should the read fail, the App reads itself.
void firstSnapshot.then(
  (snapshot) => render(<App first={{ snapshot, changedSince: changedSinceFirstRead }} />, root),
  () => render(<App />, root),
)
