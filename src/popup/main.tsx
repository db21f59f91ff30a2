// First: starts the storage read before the modules below are evaluated.
import { firstSnapshot } from './first-read'
import { render } from 'preact'
import '../ui/base.css'
import './popup.css'
import { App } from './app'

// One render, with the stored state: no empty frame before it. Should the read fail, the App reads itself.
void firstSnapshot
  .catch(() => undefined)
  .then((first) => render(<App first={first} />, document.getElementById('app')!))
