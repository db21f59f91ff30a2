import type { MediaItem, Profile } from './api'
import { activeEntry, deadReason, profileFor, type Account, type DeadReason } from './accounts'
import type { UserMessage } from './errors'
import type { ErrorInfo } from './result'
import type { FlowStatus, Snapshot } from './storage'

/**
 * A connect flow that has not finished after this long is treated as gone: the worker running
 * it was stopped, or the browser never answered.
 */
export const FLOW_STALE_MS = 10 * 60 * 1000

/** What the popup shows; one component per kind. `connected` and `reconnect` are the active account's. */
export type View =
  | { kind: 'not_configured' }
  | { kind: 'disconnected' }
  | { kind: 'connecting'; phase: 'authorizing' | 'exchanging' }
  | { kind: 'error'; error: ErrorInfo; notice: UserMessage }
  | { kind: 'connected'; profile: Profile; media: MediaItem[] | null }
  | { kind: 'reconnect'; profile: Profile; reason: DeadReason; account: Account }

/** The worker's reply to every message: the view plus what the messages in it refer to. */
export interface AppState {
  view: View
  serverUrl: string
  redirectUri: string
}

const isActive = (flow: FlowStatus, now: number): flow is Extract<FlowStatus, { started_at: number }> =>
  (flow.phase === 'authorizing' || flow.phase === 'exchanging') && now - flow.started_at < FLOW_STALE_MS

/** Derives the popup's view from storage alone, so it can render before any network call. */
export function deriveView(snapshot: Snapshot, now: number): View {
  const { flow } = snapshot
  if (snapshot.serverUrl === '') return { kind: 'not_configured' }
  if (isActive(flow, now)) return { kind: 'connecting', phase: flow.phase }
  if (flow.phase === 'error') {
    if (flow.error.code === 'not_configured') return { kind: 'not_configured' }
    return { kind: 'error', error: flow.error, notice: flow.notice }
  }
  const entry = activeEntry(snapshot.accounts)
  if (entry === null) return { kind: 'disconnected' }
  const profile = profileFor(entry)
  const { account } = entry
  const reason = deadReason(account, snapshot.serverUrl, now)
  if (reason !== null) {
    return { kind: 'reconnect', profile, reason, account }
  }
  return { kind: 'connected', profile, media: entry.media?.data ?? null }
}
