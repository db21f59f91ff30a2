import { render } from 'preact'

render(<main><h1>Options</h1></main>, document.getElementById('app')!)
