import { useEffect, useState } from 'preact/hooks'
import { createApiClient } from '../lib/api'
import browser from '../lib/browser'
import { testConnection, type Step } from '../lib/connection-test'
import { openToolbarPopup, type PopupAction } from '../lib/open-popup'
import { items } from '../lib/storage'
import { ConnectionSteps } from '../ui/connection-steps'
import { PinPicture } from './pin-picture'

const isFirefox = () => browser.runtime.getURL('').startsWith('moz-extension:')

function PinSection({ firefox }: { firefox: boolean }) {
  return (
    <section class="card" aria-labelledby="pin-title">
      <h2 id="pin-title">1. Pin it to the toolbar</h2>
      <div class="pin">
        <PinPicture firefox={firefox} />
        <ol class="pin-steps">
          <li>
            Click the <strong>Extensions</strong> button, the puzzle piece at the right of the toolbar.
          </li>
          {firefox ? (
            <li>
              Next to <strong>Instagram Connect</strong>, open the gear menu and choose <strong>Pin to Toolbar</strong>.
            </li>
          ) : (
            <li>
              Click the pin next to <strong>Instagram Connect</strong>.
            </li>
          )}
        </ol>
      </div>
      <p class="muted">The Instagram Connect button then stays in the toolbar, one click away.</p>
    </section>
  )
}

function ServerSection() {
  const [serverUrl, setServerUrl] = useState<string | null>(null)
  const [steps, setSteps] = useState<Step[] | null>(null)
  const [running, setRunning] = useState(false)

  const check = async (url: string) => {
    setRunning(true)
    const redirectUri = browser.identity.getRedirectURL()
    await testConnection(createApiClient({ baseUrl: url, timeoutMs: 8000 }), { serverUrl: url, redirectUri }, setSteps)
    setRunning(false)
  }
  useEffect(() => {
    void items.serverUrl.get(browser.storage).then((url) => {
      setServerUrl(url)
      void check(url)
    })
  }, [])

  const failed = steps?.find((s) => s.state === 'failed')
  const passed = steps !== null && steps.every((s) => s.state === 'ok')
  return (
    <section class="card" aria-labelledby="server-title">
      <h2 id="server-title">2. Check the server</h2>
      <p class="muted">
        Instagram Connect signs you in through an exchange server, which keeps the Instagram app’s secret. The extension uses{' '}
        <span class="mono">{serverUrl ?? '…'}</span>.
      </p>
      <p class={`status ${passed ? 'status-ok' : failed ? 'status-error' : ''}`} role="status" data-testid="server-summary">
        {running || steps === null
          ? 'Checking the server…'
          : passed
            ? 'The server answers and allows this extension. You are ready to connect.'
            : 'The server is not ready yet: the failed check below says what to do.'}
      </p>
      {steps !== null && <ConnectionSteps steps={steps} />}
      <div class="row">
        <button type="button" class="btn" onClick={() => serverUrl !== null && void check(serverUrl)} disabled={running || serverUrl === null}>
          Check again
        </button>
        <button type="button" class="btn btn-link" onClick={() => void browser.runtime.openOptionsPage()}>
          Use another server (Options)
        </button>
      </div>
    </section>
  )
}

function OpenSection() {
  const [fallback, setFallback] = useState(false)
  const open = async () => {
    // `browser.action` is typed as always there; older browsers lack `openPopup`, which the helper checks.
    const opened = await openToolbarPopup(browser.action as PopupAction | undefined)
    setFallback(!opened)
  }
  return (
    <section class="card" aria-labelledby="open-title">
      <h2 id="open-title">3. Connect your Instagram account</h2>
      <p class="muted">Open Instagram Connect, choose Connect Instagram, and approve in Instagram’s window.</p>
      <div class="row">
        <button type="button" class="btn btn-primary" onClick={() => void open()}>
          Open Instagram Connect
        </button>
      </div>
      <p class="status" role="status" data-testid="open-status">
        {fallback ? 'This browser cannot open it from here: click the Instagram Connect button in the toolbar (or in the puzzle-piece Extensions menu).' : '\u00a0'}
      </p>
    </section>
  )
}

/** The first-run page (SPEC "Extension behaviour": on install), opened by src/background/welcome.ts. */
export function Welcome() {
  const firefox = isFirefox()
  return (
    <main class="page welcome">
      <header class="page-head">
        <img src="/icons/icon-48.png" width={40} height={40} alt="" />
        <div>
          <h1>Welcome to Instagram Connect</h1>
          <p class="muted">Three steps to see your Instagram profile from the toolbar.</p>
        </div>
      </header>
      <PinSection firefox={firefox} />
      <ServerSection />
      <OpenSection />
    </main>
  )
}
