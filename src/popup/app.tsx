import { Component } from 'preact'
import browser from '../lib/browser-native'
import type { NextStep } from '../lib/errors'
import { t } from '../lib/i18n'
import type { MessageArgs, MessageType } from '../lib/messages'
import type { ErrorInfo } from '../lib/result'
import { workerUnavailable } from '../lib/worker-unavailable'
import { readSnapshot, type Snapshot } from '../lib/storage'
import { deriveView, type View } from '../lib/view'
import { actions } from './actions'
import { Switcher } from './switcher'
import { Connected } from './views/connected'
import { Connecting } from './views/connecting'
import { Disconnected } from './views/disconnected'
import { ErrorView } from './views/error'
import { NotConfigured } from './views/not-configured'
import { Reconnect } from './views/reconnect'

type Sync = 'idle' | 'running' | 'failed'

interface State {
  /** Storage as last read; null only until the first read (a few milliseconds). */
  snapshot: Snapshot | null
  /** Revalidation of the shown profile (`refreshProfile`), once per opening. */
  sync: Sync
  /** An error the worker could not store, because it did not answer at all. */
  local: ErrorInfo | null
}

/** How often an open popup that shows "Connecting…" makes sure a worker runs the flow, in ms. */
const WAKE_MS = 3_000

/**
 * The popup. It renders from storage alone, at once, and re-reads storage on every change:
 * that is how it follows the worker's flow, even after being closed and reopened. A class
 * component, so the popup needs no hooks runtime (the popup's scripts have a 10 KB budget).
 */
export class App extends Component<{ first?: Snapshot }, State> {
  /** `first`: storage as read when the popup's script started (./first-read.ts); the App reads it again once it listens to changes. */
  override state: State = { snapshot: this.props.first ?? null, sync: 'idle', local: null }
  private reads = 0
  /** The account whose profile this opening revalidated last (once per account shown). */
  private revalidated: string | undefined

  private readonly load = () => {
    const ticket = ++this.reads
    void readSnapshot(browser.storage).then((snapshot) => {
      if (ticket === this.reads) this.setState({ snapshot })
    })
  }

  override componentDidMount() {
    browser.storage.onChanged.addListener(this.load)
    this.wake = setInterval(() => this.view()?.kind === 'connecting' && void actions.send('getState'), WAKE_MS)
    // Read again, now that changes are listened to: one made since the first read is not missed.
    this.load()
    // The worker migrates data an earlier release wrote before it answers (on install, start and
    // every message): should that not have happened yet, this is the first read that does it.
    void actions.send('getState')
    this.componentDidUpdate()
  }

  override componentWillUnmount() {
    browser.storage.onChanged.removeListener(this.load)
    clearInterval(this.wake)
  }

  /**
   * While the popup shows "Connecting…", a `getState` every `WAKE_MS`: should the browser have
   * stopped the worker running the flow, this starts a new one, which ends the orphaned flow as
   * `interrupted` (background/orphaned-flow.ts) — so a popup opened after the Connect click, and
   * left open, learns it within seconds instead of after `FLOW_STALE_MS`. A running worker
   * just answers.
   */
  private wake?: ReturnType<typeof setInterval>

  /** Revalidates the active account's profile once per opening and account, while it is shown (connected). */
  override componentDidUpdate() {
    const view = this.view()
    const id = this.activeId()
    if (view?.kind !== 'connected' || id === this.revalidated) return
    this.revalidated = id
    this.setState({ sync: 'running' })
    void actions.send('refreshProfile').then((reply) => {
      if (this.activeId() === id) this.setState({ sync: reply.ok ? 'idle' : 'failed' })
    })
  }

  /** The active account's id (accounts.ts: the first of `order`). */
  private activeId = () => this.state.snapshot?.accounts.order[0]

  private view(): View | null {
    const { snapshot, local } = this.state
    if (snapshot === null) return null
    return local !== null ? { kind: 'error', error: local, notice: workerUnavailable() } : deriveView(snapshot, Date.now())
  }

  private async run(type: MessageType, args?: MessageArgs) {
    this.setState({ local: null })
    const reply = await actions.send(type, args)
    if (!reply.ok && reply.error.code === 'worker_unavailable') {
      // The browser stopped the worker running this flow (the message's channel closed with it).
      // The flow is left in storage: a message starts a new worker, which ends it with a clearer
      // error ("The sign-in was interrupted", background/orphaned-flow.ts) than this one.
      if (this.view()?.kind === 'connecting') return void actions.send('getState')
      this.setState({ local: reply.error })
    }
  }

  private readonly connect = () => void this.run('connect')
  /** Reconnect: with several accounts, Instagram is asked to let the person choose the login. */
  private readonly reconnect = () => void this.run('connect', { forceReauth: this.state.snapshot!.accounts.list.length > 1 })
  private readonly addAccount = () => void this.run('addAccount')
  private readonly cancel = () => void this.run('cancel')
  private readonly switchTo = (userId: string) => void this.run('switchAccount', { userId })
  /**
   * Disconnect. With another account left, its `@username` heading takes the focus (the same
   * element, now showing it), not the Disconnect button, where a second press would disconnect
   * that one too; with none left, the disconnected view focuses Connect Instagram itself.
   */
  private readonly disconnect = () => void this.run('disconnect').then(() => document.querySelector<HTMLElement>('.handle')?.focus())
  private readonly openOptions = () => void actions.openOptions()
  private readonly dismiss = () => {
    this.setState({ local: null })
    void actions.dismiss()
  }
  private readonly step = (step: NextStep) => (step === 'options' ? this.openOptions() : this.connect())

  private content(view: View, snapshot: Snapshot) {
    switch (view.kind) {
      case 'not_configured':
        return <NotConfigured onOptions={this.openOptions} />
      case 'disconnected':
        return <Disconnected serverUrl={snapshot.serverUrl} onConnect={this.connect} />
      case 'connecting':
        return <Connecting phase={view.phase} onCancel={this.cancel} />
      case 'connected': {
        const { sync } = this.state
        const status =
          sync === 'running' ? t('popup_checking') : sync === 'failed' ? t('popup_refresh_failed') : '\u00a0'
        return (
          <Connected profile={view.profile} media={view.media} loading={sync !== 'failed'} status={status} onDisconnect={this.disconnect} />
        )
      }
      case 'reconnect':
        return <Reconnect view={view} onReconnect={this.reconnect} onDisconnect={this.disconnect} />
      case 'error':
        return <ErrorView error={view.error} notice={view.notice} onStep={this.step} onDismiss={this.dismiss} />
    }
  }

  /**
   * What the live region says when the view becomes connected or disconnected; it is always in
   * the page, so a change of its text is announced. The other views announce themselves: the
   * phase while connecting (a status), errors and Reconnect (alerts). Words not shown elsewhere,
   * so the page never holds the same text twice.
   */
  private said(view: View | null): string {
    return view?.kind === 'connected' ? t('announce_connected') : view?.kind === 'disconnected' ? t('announce_disconnected') : ''
  }

  override render() {
    const { snapshot } = this.state
    const view = this.view()
    const said = this.said(view)
    return (
      <div class="popup" data-view={view?.kind ?? 'loading'}>
        <header class="bar">
          {/* The switcher shows in the connected and reconnect views, which are the active account's. */}
          {snapshot !== null && (view?.kind === 'connected' || view?.kind === 'reconnect') ? (
            <Switcher snapshot={snapshot} onSwitch={this.switchTo} onAdd={this.addAccount} />
          ) : (
            <span class="brand">{t('ext_name')}</span>
          )}
          {/* Its icon is CSS (popup.css, .options-btn). */}
          <button type="button" class="icon-btn options-btn" onClick={this.openOptions} aria-label={t('options')} title={t('options')} />
        </header>
        <main class="content">{view !== null && snapshot !== null && this.content(view, snapshot)}</main>
        <p class="visually-hidden announce" role="status">
          {said}
        </p>
      </div>
    )
  }
}
