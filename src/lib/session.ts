import type { RefreshResponse, TokenResponse } from './api'
import type { Session } from './storage'

const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR

/** Instagram refreshes only long-lived tokens that are at least 24 hours old (SPEC table). */
export const REFRESH_MIN_AGE_MS = DAY
/** The daily alarm refreshes a token that expires within this window. */
export const REFRESH_WINDOW_MS = 7 * DAY
/** Short-lived tokens last one hour; anything much longer is the 60-day kind. */
const LONG_LIVED_MIN_MS = DAY

export const REFRESH_ALARM = 'refresh-token'
export const REFRESH_PERIOD_MINUTES = 24 * 60

/** A session from a `/token` answer received at `now`. */
export function sessionFromToken(token: TokenResponse, now: number): Session {
  return {
    access_token: token.access_token,
    token_type: token.token_type,
    expires_at: now + token.expires_in * 1000,
    issued_at: now,
    user: token.user,
    permissions: Array.isArray(token.permissions) ? token.permissions : [],
  }
}

/** The session after a `/refresh` answer received at `now`. */
export function sessionFromRefresh(session: Session, refreshed: RefreshResponse, now: number): Session {
  return {
    ...session,
    access_token: refreshed.access_token,
    token_type: refreshed.token_type,
    expires_at: now + refreshed.expires_in * 1000,
    issued_at: now,
  }
}

export const isLongLived = (session: Session): boolean => session.expires_at - session.issued_at > LONG_LIVED_MIN_MS

/**
 * Whether the daily alarm should refresh this token: long-lived, over 24 h old, not expired,
 * expiring within 7 days, and not already known to be revoked.
 */
export function shouldRefresh(session: Session, now: number): boolean {
  return (
    session.needs_reconnect !== true &&
    isLongLived(session) &&
    now - session.issued_at >= REFRESH_MIN_AGE_MS &&
    session.expires_at > now &&
    session.expires_at - now <= REFRESH_WINDOW_MS
  )
}
