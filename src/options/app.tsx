import { useEffect, useState } from 'preact/hooks'
import { createApiClient } from '../lib/api'
import browser from '../lib/browser'
import { stepLabel, testConnection, type Step } from '../lib/connection-test'
import { isCovered, normalizeServerUrl, originPattern, portMatchingOf } from '../lib/server-url'
import { DEFAULT_SERVER_URL, items } from '../lib/storage'
import { plural, t } from '../lib/i18n'
import { CopyField } from '../ui/copy-field'
import { ConnectionSteps } from '../ui/connection-steps'
import { RichText } from '../ui/rich-text'
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
      setStatus({ kind: 'error', text: t('server_permission_denied', new URL(normalized.data).origin) })
      return
    }
    await items.serverUrl.set(browser.storage, normalized.data)
    setValue(normalized.data)
    onSaved(normalized.data)
    // Tokens are bound to the server that issued them (SPEC): say whose stop being used.
    const left = normalized.data === saved ? [] : orphans(saved)
    const note = left.length === 0 ? '' : ` ${t(plural('server_orphans', left.length), left.join(', '), saved)}`
    setStatus({ kind: 'ok', text: `${t('server_saved', normalized.data)}${note}` })
  }

  return (
    <section class="card" aria-labelledby="server-title">
      <h2 id="server-title">{t('server_title')}</h2>
      <p class="muted">
        <RichText text={t('server_intro')} />
      </p>
      <form class="row" onSubmit={save} noValidate>
        <div class="field">
          <label for="server-url">{t('server_url_label')}</label>
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
          {t('button_save')}
        </button>
      </form>
      <p id="server-status" class={`status status-${status.kind}`} role="status">
        {status.kind === 'idle' ? (value.trim() !== saved ? t('server_unsaved') : '\u00a0') : status.text}
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
      setSteps([{ id: 'health', label: stepLabel('health'), state: 'failed', detail: t('test_no_access', serverUrl) }])
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
      <h2 id="test-title">{t('test_title')}</h2>
      <p class="muted">
        <RichText text={t('test_intro', serverUrl)} />
      </p>
      <div class="row">
        <button type="button" class="btn btn-primary" onClick={running ? undefined : run} aria-disabled={running}>
          {running ? t('testing') : t('test_title')}
        </button>
        <p class={`status ${passed ? 'status-ok' : failed ? 'status-error' : ''}`} role="status" data-testid="test-summary">
          {running ? t('testing') : passed ? t('test_passed') : failed ? t('test_failed', failed.label) : '\u00a0'}
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
          <h1>{t('ext_name')}</h1>
          <p class="muted">{t('options')}</p>
        </div>
      </header>
      {saved !== null && (
        <>
          <ServerSection saved={saved} onSaved={setSaved} orphans={(server) => (stored === null ? [] : accountsOf(stored.accounts, server))} />
          <section class="card" aria-labelledby="redirect-title">
            <h2 id="redirect-title">{t('redirect_title')}</h2>
            <p class="muted">
              <RichText text={t('redirect_intro')} />
            </p>
            <CopyField id="redirect-url" label={t('redirect_title')} value={redirectUri} />
          </section>
          <TestSection serverUrl={saved} redirectUri={redirectUri} />
          {stored !== null && <AccountsSection accounts={stored.accounts} serverUrl={stored.serverUrl} />}
        </>
      )}
    </div>
  )
}
