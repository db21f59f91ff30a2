import { render } from 'preact'
import '../ui/base.css'
import './popup.css'
import { localizeDocument } from '../ui/localize-document'
import { App } from './app'

localizeDocument('ext_name')

render(<App />, document.getElementById('app')!)
