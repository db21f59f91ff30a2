import { render } from 'preact'
import '../ui/base.css'
import './options.css'
import { localizeDocument } from '../ui/localize-document'
import { Options } from './app'

localizeDocument('options_document_title')

render(<Options />, document.getElementById('app')!)
