import type { MediaItem, Profile } from './api'
import type { UserMessage } from './errors'
import type { ErrorInfo } from './result'
import type { FlowStatus, Session, Snapshot } from './storage'

/**
 * A connect flow that has not finished after this long is treated as gone: the worker running
 * it was stopped, or the browser never answered.
 */
export const FLOW_STALE_MS = 10 * 60 * 1000

/** What the popup shows; one component per kind. */
export type View =
  | { kind: 'not_configured' }
  | { kind: 'disconnected' }
  | { kind: 'connecting'; phase: 'authorizing' | 'exchanging' }
  | { kind: 'error'; error: ErrorInfo; notice: UserMessage }
  | { kind: 'connected'; profile: Profile; media: MediaItem[] | null }
  | { kind: 'reconnect'; profile: Profile; reason: 'expired' | 'revoked' }

/** The worker's reply to every message: the view plus what the messages in it refer to. */
export interface AppState {
  view: View
  serverUrl: string
  redirectUri: string
}

/**
 * The profile to show for a session: the cached `/me` answer, else the user from `/token`.
 * (The worker drops the cache when a different user connects.)
 */
export function profileOf(session: Session, cached: Profile | undefined): Profile {
  if (cached !== undefined) return cached
  return { ...(session.user as Profile), id: session.user.id, username: session.user.username }
}

const isActive = (flow: FlowStatus, now: number): flow is Extract<FlowStatus, { started_at: number }> =>
  (flow.phase === 'authorizing' || flow.phase === 'exchanging') && now - flow.started_at < FLOW_STALE_MS

/** Derives the popup's view from storage alone, so it can render before any network call. */
export function deriveView(snapshot: Snapshot, now: number): View {
  const { flow, session } = snapshot
  if (snapshot.serverUrl === '') return { kind: 'not_configured' }
  if (isActive(flow, now)) return { kind: 'connecting', phase: flow.phase }
  if (flow.phase === 'error') {
    if (flow.error.code === 'not_configured') return { kind: 'not_configured' }
    return { kind: 'error', error: flow.error, notice: flow.notice }
  }
  if (session === null) return { kind: 'disconnected' }
  const profile = profileOf(session, snapshot.profile?.data)
  if (session.needs_reconnect === true) return { kind: 'reconnect', profile, reason: 'revoked' }
  if (session.expires_at <= now) return { kind: 'reconnect', profile, reason: 'expired' }
  const media = snapshot.media?.data ?? null
  return { kind: 'connected', profile, media }
}
