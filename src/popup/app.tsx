import { Component } from 'preact'
import browser from '../lib/browser-native'
import type { NextStep } from '../lib/errors'
import type { ErrorInfo } from '../lib/result'
import { WORKER_UNAVAILABLE } from '../lib/worker-unavailable'
import { readSnapshot, type Snapshot } from '../lib/storage'
import { deriveView, type View } from '../lib/view'
import { actions } from './actions'
import { GearIcon } from './icons'
import { Connected } from './views/connected'
import { Connecting } from './views/connecting'
import { Disconnected } from './views/disconnected'
import { ErrorView } from './views/error'
import { NotConfigured } from './views/not-configured'
import { Reconnect } from './views/reconnect'

type Sync = 'idle' | 'running' | 'failed'

/** While "Connecting…" shows, the popup wakes the worker this often (see `watch`). */
export const WAKE_MS = 2000

interface State {
  /** Storage as last read; null only until the first read (a few milliseconds). */
  snapshot: Snapshot | null
  /** Revalidation of the shown profile (`refreshProfile`), once per opening. */
  sync: Sync
  /** An error the worker could not store, because it did not answer at all. */
  local: ErrorInfo | null
}

/**
 * The popup. It renders from storage alone, at once, and re-reads storage on every change:
 * that is how it follows the worker's flow, even after being closed and reopened. A class
 * component, so the popup needs no hooks runtime (the popup's scripts have a 10 KB budget).
 */
export class App extends Component<object, State> {
  override state: State = { snapshot: null, sync: 'idle', local: null }
  private reads = 0
  private revalidated = false
  private waking: ReturnType<typeof setInterval> | undefined

  private readonly load = () => {
    const ticket = ++this.reads
    void readSnapshot(browser.storage).then((snapshot) => {
      if (ticket === this.reads) this.setState({ snapshot })
    })
  }

  override componentDidMount() {
    browser.storage.onChanged.addListener(this.load)
    this.load()
  }

  override componentWillUnmount() {
    browser.storage.onChanged.removeListener(this.load)
    clearInterval(this.waking)
  }

  /**
   * A flow's worker may have been stopped by the browser (it no longer runs, so it writes no
   * outcome). While "Connecting…" shows, a message every WAKE_MS starts the worker again if so;
   * a started worker turns the orphaned flow into an error (background/orphaned-flow.ts), which
   * arrives here through storage.
   */
  private watch(view: View | null) {
    const connecting = view?.kind === 'connecting'
    if (connecting && this.waking === undefined) this.waking = setInterval(() => void actions.wake(), WAKE_MS)
    if (!connecting && this.waking !== undefined) {
      clearInterval(this.waking)
      this.waking = undefined
    }
  }

  override componentDidUpdate() {
    const view = this.view()
    this.watch(view)
    if (view === null || this.revalidated) return
    // Once per opening, after the stored profile is already on screen.
    this.revalidated = true
    if (view.kind === 'connected') {
      this.setState({ sync: 'running' })
      void actions.refreshProfile().then((reply) => this.setState({ sync: reply.ok ? 'idle' : 'failed' }))
    }
  }

  private view(): View | null {
    const { snapshot, local } = this.state
    if (snapshot === null) return null
    return local !== null ? { kind: 'error', error: local, notice: WORKER_UNAVAILABLE } : deriveView(snapshot, Date.now())
  }

  private async run(action: typeof actions.connect) {
    this.setState({ local: null })
    const reply = await action()
    if (!reply.ok && reply.error.code === 'worker_unavailable') {
      // A worker stopped after it started the flow left the flow in storage: its restart ends it
      // with a clearer error ("The sign-in was interrupted") than this one (see `watch`).
      if (deriveView(await readSnapshot(browser.storage), Date.now()).kind === 'connecting') return
      this.setState({ local: reply.error })
    }
  }

  private readonly connect = () => void this.run(actions.connect)
  private readonly disconnect = () => void this.run(actions.disconnect)
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
        return <Connecting phase={view.phase} onCancel={this.disconnect} />
      case 'connected': {
        const { sync } = this.state
        const status =
          sync === 'running' ? 'Checking Instagram for changes…' : sync === 'failed' ? 'Could not refresh: showing the saved profile.' : '\u00a0'
        return <Connected profile={view.profile} media={view.media} loading={sync !== 'failed'} status={status} onDisconnect={this.disconnect} />
      }
      case 'reconnect':
        return <Reconnect profile={view.profile} reason={view.reason} onReconnect={this.connect} onDisconnect={this.disconnect} />
      case 'error':
        return <ErrorView error={view.error} notice={view.notice} onStep={this.step} onDismiss={this.dismiss} />
    }
  }

  override render() {
    const { snapshot } = this.state
    const view = this.view()
    return (
      <div class="popup" data-view={view?.kind ?? 'loading'}>
        <header class="bar">
          <img src="/icons/icon-32.png" width={20} height={20} alt="" />
          <span class="brand">Instagram Connect</span>
          <button type="button" class="icon-btn" onClick={this.openOptions} aria-label="Options" title="Options">
            <GearIcon />
          </button>
        </header>
        <main class="content">{view !== null && snapshot !== null && this.content(view, snapshot)}</main>
      </div>
    )
  }
}
