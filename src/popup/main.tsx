import { render } from 'preact'
import browser from '../lib/browser'

function Popup() {
  return <main><h1>Instagram Connect</h1><p>{browser.runtime.id}</p></main>
}

render(<Popup />, document.getElementById('app')!)
