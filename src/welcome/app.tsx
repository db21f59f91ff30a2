import { useEffect, useState } from 'preact/hooks'
import { createApiClient } from '../lib/api'
import browser from '../lib/browser'
import { testConnection, type Step } from '../lib/connection-test'
import { openToolbarPopup, type PopupAction } from '../lib/open-popup'
import { items } from '../lib/storage'
import { t } from '../lib/i18n'
import { ConnectionSteps } from '../ui/connection-steps'
import { Message } from '../ui/message'
import { RichText } from '../ui/rich-text'
import { PinPicture } from './pin-picture'

const isFirefox = () => browser.runtime.getURL('').startsWith('moz-extension:')

function PinSection({ firefox }: { firefox: boolean }) {
  return (
    <section class="card" aria-labelledby="pin-title">
      <h2 id="pin-title">{t('welcome_pin_title')}</h2>
      <div class="pin">
        <PinPicture firefox={firefox} />
        <ol class="pin-steps">
          <li>
            <Message id="welcome_pin_step1" parts={[<strong>{t('welcome_extensions_button')}</strong>]} />
          </li>
          <li>
            {firefox ? (
              <Message id="welcome_pin_step2_firefox" parts={[<strong>{t('ext_name')}</strong>, <strong>{t('welcome_pin_to_toolbar')}</strong>]} />
            ) : (
              <Message id="welcome_pin_step2" parts={[<strong>{t('ext_name')}</strong>]} />
            )}
          </li>
        </ol>
      </div>
      <p class="muted">{t('welcome_pin_after')}</p>
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
      <h2 id="server-title">{t('welcome_server_title')}</h2>
      <p class="muted">
        <RichText text={t('welcome_server_intro', serverUrl ?? '…')} />
      </p>
      <p class={`status ${passed ? 'status-ok' : failed ? 'status-error' : ''}`} role="status" data-testid="server-summary">
        {running || steps === null ? t('welcome_checking') : passed ? t('welcome_ready') : t('welcome_not_ready')}
      </p>
      {steps !== null && <ConnectionSteps steps={steps} />}
      <div class="row">
        <button type="button" class="btn" onClick={() => !running && serverUrl !== null && void check(serverUrl)} aria-disabled={running || serverUrl === null}>
          {t('welcome_check_again')}
        </button>
        <button type="button" class="btn btn-link" onClick={() => void browser.runtime.openOptionsPage()}>
          {t('welcome_other_server')}
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
      <h2 id="open-title">{t('welcome_open_title')}</h2>
      <p class="muted">{t('welcome_open_body')}</p>
      <div class="row">
        <button type="button" class="btn btn-primary" onClick={() => void open()}>
          {t('welcome_open_button')}
        </button>
      </div>
      <p class="status" role="status" data-testid="open-status">
        {fallback ? t('welcome_open_fallback') : '\u00a0'}
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
          <h1>{t('welcome_document_title')}</h1>
          <p class="muted">{t('welcome_intro')}</p>
        </div>
      </header>
      <PinSection firefox={firefox} />
      <ServerSection />
      <OpenSection />
    </main>
  )
}
