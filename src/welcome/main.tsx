import { render } from 'preact'
import '../ui/base.css'
// The options page's page, card and check-list styles; the welcome page is laid out the same way.
import '../options/options.css'
import './welcome.css'
import { Welcome } from './app'

render(<Welcome />, document.getElementById('app')!)
