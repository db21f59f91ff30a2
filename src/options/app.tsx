import { useEffect, useState } from 'preact/hooks'
import { createApiClient } from '../lib/api'
import browser from '../lib/browser'
import { testConnection, type Step } from '../lib/connection-test'
import { isCovered, normalizeServerUrl, originPattern, portMatchingOf } from '../lib/server-url'
import { DEFAULT_SERVER_URL, items } from '../lib/storage'
import { CopyField } from '../ui/copy-field'
import { ConnectionSteps } from '../ui/connection-steps'
import { accountsOf, AccountsSection, useAccounts } from './accounts'

type Status = { kind: 'idle' } | { kind: 'ok'; text: string } | { kind: 'error'; text: string }

const hostPermissions = (): string[] => browser.runtime.getManifest().host_permissions ?? []

/**
 * Makes sure the extension may call the server: the manifest covers the default
 * `127.0.0.1:8787` and `localhost:8787`; any other origin is asked for at run time. Called
 * first thing in a click handler, because `permissions.request` needs the user's gesture.
 */
async function ensureAccess(serverUrl: string): Promise<boolean> {
  const matching = portMatchingOf(browser.runtime.getURL(''))
  if (isCovered(serverUrl, hostPermissions(), matching)) return true
  try {
    return await browser.permissions.request({ origins: [originPattern(serverUrl, matching)] })
  } catch {
    return false
  }
}

function ServerSection({ saved, onSaved, orphans }: { saved: string; onSaved: (url: string) => void; orphans: (server: string) => string[] }) {
  // Starts from the stored URL and changes only by typing or saving. (An effect copying `saved`
  // into it ran after the first frame, and on a busy machine that was after the user, or a
  // test, had typed: the typed URL was replaced by the stored one, which Save then kept.)
  const [value, setValue] = useState(saved)
  const [status, setStatus] = useState<Status>({ kind: 'idle' })

  const save = async (event: Event) => {
    event.preventDefault()
    const normalized = normalizeServerUrl(value)
    if (!normalized.ok) {
      setStatus({ kind: 'error', text: normalized.error.message })
      return
    }
    if (!(await ensureAccess(normalized.data))) {
      setStatus({ kind: 'error', text: `Permission to reach ${new URL(normalized.data).origin} was not granted, so the URL was not saved.` })
      return
    }
    await items.serverUrl.set(browser.storage, normalized.data)
    setValue(normalized.data)
    onSaved(normalized.data)
    // Tokens are bound to the server that issued them (SPEC): say whose stop being used.
    const left = normalized.data === saved ? [] : orphans(saved)
    const note = left.length === 0 ? '' : ` ${left.join(', ')} belong${left.length === 1 ? 's' : ''} to ${saved}: ${left.length === 1 ? 'its token is' : 'their tokens are'} never sent to the new server, so ${left.length === 1 ? 'it shows' : 'they show'} Reconnect until you set ${saved} again or reconnect.`
    setStatus({ kind: 'ok', text: `Saved. The extension now uses ${normalized.data}.${note}` })
  }

  return (
    <section class="card" aria-labelledby="server-title">
      <h2 id="server-title">Server</h2>
      <p class="muted">
        The Instagram Connect server keeps the Instagram app secret and exchanges sign-in codes for tokens. Start it with{' '}
        <code>npm start</code> (demo, with the emulator) or <code>npm run server</code>.
      </p>
      <form class="row" onSubmit={save} noValidate>
        <div class="field">
          <label for="server-url">Server URL</label>
          <input
            id="server-url"
            name="server-url"
            type="url"
            inputMode="url"
            autoComplete="off"
            spellcheck={false}
            value={value}
            placeholder={DEFAULT_SERVER_URL}
            aria-describedby="server-status"
            aria-invalid={status.kind === 'error'}
            onInput={(e) => {
              setValue(e.currentTarget.value)
              setStatus({ kind: 'idle' })
            }}
          />
        </div>
        <button type="submit" class="btn btn-primary">
          Save
        </button>
      </form>
      <p id="server-status" class={`status status-${status.kind}`} role="status">
        {status.kind === 'idle' ? (value.trim() !== saved ? 'Unsaved change.' : '\u00a0') : status.text}
      </p>
    </section>
  )
}

function TestSection({ serverUrl, redirectUri }: { serverUrl: string; redirectUri: string }) {
  const [steps, setSteps] = useState<Step[] | null>(null)
  const [running, setRunning] = useState(false)

  const run = async () => {
    setRunning(true)
    if (!(await ensureAccess(serverUrl))) {
      setSteps([{ id: 'health', label: 'The server answers (GET /health)', state: 'failed', detail: `The extension may not reach ${serverUrl}: save the URL again and allow access.` }])
      setRunning(false)
      return
    }
    await testConnection(createApiClient({ baseUrl: serverUrl, timeoutMs: 8000 }), { serverUrl, redirectUri }, setSteps)
    setRunning(false)
  }

  const failed = steps?.find((s) => s.state === 'failed')
  const passed = steps !== null && steps.every((s) => s.state === 'ok')
  return (
    <section class="card" aria-labelledby="test-title">
      <h2 id="test-title">Test connection</h2>
      <p class="muted">
        Checks the saved server, <span class="mono">{serverUrl}</span>: that it answers, that it has an Instagram app, and that it allows the redirect URL above.
      </p>
      <div class="row">
        <button type="button" class="btn btn-primary" onClick={run} disabled={running}>
          {running ? 'Testing…' : 'Test connection'}
        </button>
        <p class={`status ${passed ? 'status-ok' : failed ? 'status-error' : ''}`} role="status" data-testid="test-summary">
          {running ? 'Testing…' : passed ? 'All checks passed. You can connect from the toolbar button.' : failed ? `Failed: ${failed.label}.` : '\u00a0'}
        </p>
      </div>
      {steps !== null && <ConnectionSteps steps={steps} />}
    </section>
  )
}

export function Options() {
  const [saved, setSaved] = useState<string | null>(null)
  const stored = useAccounts()
  const redirectUri = browser.identity.getRedirectURL()
  useEffect(() => {
    void items.serverUrl.get(browser.storage).then(setSaved)
  }, [])

  return (
    <div class="page">
      <header class="page-head">
        <img src="/icons/icon-48.png" width={40} height={40} alt="" />
        <div>
          <h1>Instagram Connect</h1>
          <p class="muted">Options</p>
        </div>
      </header>
      {saved !== null && (
        <>
          <ServerSection saved={saved} onSaved={setSaved} orphans={(server) => (stored === null ? [] : accountsOf(stored.accounts, server))} />
          <section class="card" aria-labelledby="redirect-title">
            <h2 id="redirect-title">Redirect URL</h2>
            <p class="muted">
              Instagram sends you back to this exact address after you authorize. Add it to the Instagram app’s valid OAuth redirect URIs and to the
              server’s <code>ALLOWED_REDIRECT_URIS</code> (it is there by default).
            </p>
            <CopyField id="redirect-url" label="Redirect URL" value={redirectUri} />
          </section>
          <TestSection serverUrl={saved} redirectUri={redirectUri} />
          {stored !== null && <AccountsSection accounts={stored.accounts} serverUrl={stored.serverUrl} />}
        </>
      )}
    </div>
  )
}
