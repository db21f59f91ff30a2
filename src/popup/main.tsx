// First: starts the storage read before the modules below are evaluated.
import { firstSnapshot } from './first-read'
import { render } from 'preact'
import '../ui/base.css'
import './popup.css'
import { localizeDocument } from '../ui/localize-document'
import { App } from './app'

localizeDocument('ext_name')

// One render, with the stored state: no empty frame before it. Should the read fail, the App reads itself.
void firstSnapshot
  .catch(() => undefined)
  .then((first) => render(<App first={first} />, document.getElementById('app')!))
