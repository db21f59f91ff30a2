import { randomBytes } from 'node:crypto'
import { FaultHook } from './faults'
import type { UpstreamEndpoint } from './faults'
import type { TestUser } from './users'

/** Lifetimes from the seed docs and Instagram's token docs. */
export const CODE_TTL_MS = 60 * 60_000
export const SHORT_TOKEN_TTL_S = 3600
export const LONG_TOKEN_TTL_S = 60 * 24 * 3600
export const REFRESH_MIN_AGE_MS = 24 * 3600_000

export type TokenShape = 'flat' | 'wrapped'
export type PermissionsAs = 'string' | 'array'
/** `/me` as Instagram sends it (`flat`) or as Meta's docs show it (`wrapped` in `{"data":[…]}`). */
export type MeShape = 'flat' | 'wrapped'

/** Usage headers put on every Graph answer (INSTAGRAM-TODAY.md §8). */
export interface UsageSetting {
  /** The percentage every value (`call_count`, `total_cputime`, `total_time`) is set to. */
  level: number
  /** Which header(s) carry it. */
  header: 'app' | 'business' | 'both'
  /** `estimated_time_to_regain_access`, in minutes, in the business header. */
  regainMinutes: number
}

/**
 * Ways the next consent redirect can misbehave on purpose, to prove the extension withholds the
 * code (SPEC "Extension behaviour"; RFC 9700 §4.7 CSRF, §4.1 redirect URI checks):
 * - `wrong-state`: `state` replaced by another value (an attacker's own);
 * - `drop-state`: no `state` at all;
 * - `other-url`: a real code and the right `state`, sent to another path on the redirect URI's
 *   origin. Same origin on purpose: the browser hands the extension only URLs on its
 *   redirect host (`https://<id>.chromiumapp.org/…`); another host never reaches it.
 */
export const REDIRECT_TAMPERS = Object.freeze(['wrong-state', 'drop-state', 'other-url'] as const)
export type RedirectTamper = (typeof REDIRECT_TAMPERS)[number]

export interface EmulatorSettings {
  tokenShape: TokenShape
  /** undefined: an array for `flat` (what Instagram sends), a string for `wrapped` (as documented). */
  permissionsAs: PermissionsAs | undefined
  meShape: MeShape
  /** `/me`'s `id` and `user_id` as JSON strings (default) or as JSON numbers, above 2^53 too. */
  meIds: 'string' | 'number'
  usage: UsageSetting | null
  autoApprove: string | false
  latencyMs: number
  /** Applied to the next consent redirect (Authorize, Cancel or auto-approve), then cleared. */
  tamperRedirect: RedirectTamper | null
}

export interface CodeRecord {
  readonly code: string
  readonly clientId: string
  readonly redirectUri: string
  readonly user: TestUser
  readonly scopes: readonly string[]
  readonly expiresAt: number
}

export type TokenKind = 'short' | 'long'

export interface TokenRecord {
  readonly token: string
  readonly kind: TokenKind
  readonly user: TestUser
  /** Granted permissions; an admin `revoke` of a permission removes it. */
  scopes: readonly string[]
  readonly issuedAt: number
  readonly expiresAt: number
  revoked: boolean
}

export interface UpstreamCall {
  endpoint: UpstreamEndpoint
  method: string
  /** Path without the query string (tokens never appear here). */
  path: string
}

export type TokenCheck =
  | { ok: true; record: TokenRecord }
  | { ok: false; reason: 'missing' | 'unknown' | 'expired' | 'revoked'; record?: TokenRecord }

function random(bytes: number): string {
  return randomBytes(bytes).toString('base64url')
}

/**
 * Everything the emulator remembers: codes, tokens, the clock, settings, faults and the
 * upstream call log. `reset()` returns it to the state it was created in.
 */
export class EmulatorState {
  readonly codes = new Map<string, CodeRecord>()
  readonly tokens = new Map<string, TokenRecord>()
  readonly faults = new FaultHook()
  readonly calls: UpstreamCall[] = []
  settings: EmulatorSettings
  clockOffsetMs = 0
  readonly #initialSettings: Readonly<EmulatorSettings>
  readonly #baseNow: () => number
  readonly #shutdown = new AbortController()

  constructor(settings: EmulatorSettings, now: () => number = Date.now) {
    this.#initialSettings = Object.freeze({ ...settings })
    this.settings = { ...settings }
    this.#baseNow = now
  }

  now(): number {
    return this.#baseNow() + this.clockOffsetMs
  }

  advanceClock(ms: number): void {
    this.clockOffsetMs += ms
  }

  /** Aborted by `shutdown()`: hanging and delayed calls listen to it. */
  get closing(): AbortSignal {
    return this.#shutdown.signal
  }

  /** Releases every hanging `no-answer`/delayed call at once. */
  shutdown(): void {
    this.#shutdown.abort()
  }

  permissionsAs(): PermissionsAs {
    return this.settings.permissionsAs ?? (this.settings.tokenShape === 'flat' ? 'array' : 'string')
  }

  issueCode(input: Omit<CodeRecord, 'code' | 'expiresAt'>): CodeRecord {
    const record: CodeRecord = { ...input, code: `AQ${random(48)}`, expiresAt: this.now() + CODE_TTL_MS }
    this.codes.set(record.code, record)
    return record
  }

  /** Single use: the code is gone after this call whatever the caller decides next. */
  consumeCode(code: string): CodeRecord | undefined {
    const record = this.codes.get(code)
    if (!record) return undefined
    this.codes.delete(code)
    return record.expiresAt > this.now() ? record : undefined
  }

  issueToken(kind: TokenKind, user: TestUser, scopes: readonly string[]): TokenRecord {
    const issuedAt = this.now()
    const ttl = kind === 'short' ? SHORT_TOKEN_TTL_S : LONG_TOKEN_TTL_S
    const record: TokenRecord = {
      token: `${kind === 'short' ? 'IGQV' : 'IGAA'}${random(96)}`,
      kind,
      user,
      scopes,
      issuedAt,
      expiresAt: issuedAt + ttl * 1000,
      revoked: false,
    }
    this.tokens.set(record.token, record)
    return record
  }

  checkToken(token: string | undefined): TokenCheck {
    if (!token) return { ok: false, reason: 'missing' }
    const record = this.tokens.get(token)
    if (!record) return { ok: false, reason: 'unknown' }
    if (record.revoked) return { ok: false, reason: 'revoked', record }
    if (record.expiresAt <= this.now()) return { ok: false, reason: 'expired', record }
    return { ok: true, record }
  }

  /** Revokes one token, every token of a user, or (neither given) every token. */
  revoke(filter: { accessToken?: string; username?: string } = {}): number {
    let count = 0
    for (const record of this.tokens.values()) {
      if (filter.accessToken !== undefined && record.token !== filter.accessToken) continue
      if (filter.username !== undefined && record.user.username !== filter.username) continue
      if (!record.revoked) count += 1
      record.revoked = true
    }
    return count
  }

  /** Removes one permission from one token, every token of a user, or every token; returns how many lost it. */
  revokePermission(permission: string, filter: { accessToken?: string; username?: string } = {}): number {
    let count = 0
    for (const record of this.tokens.values()) {
      if (filter.accessToken !== undefined && record.token !== filter.accessToken) continue
      if (filter.username !== undefined && record.user.username !== filter.username) continue
      if (!record.scopes.includes(permission)) continue
      record.scopes = record.scopes.filter((s) => s !== permission)
      count += 1
    }
    return count
  }

  /** The pending redirect tamper, if any; taking it clears it (one redirect only). */
  takeRedirectTamper(): RedirectTamper | null {
    const tamper = this.settings.tamperRedirect
    if (tamper !== null) this.settings = { ...this.settings, tamperRedirect: null }
    return tamper
  }

  recordCall(call: UpstreamCall): void {
    this.calls.push(call)
  }

  reset(): void {
    this.codes.clear()
    this.tokens.clear()
    this.faults.clear()
    this.calls.length = 0
    this.clockOffsetMs = 0
    this.settings = { ...this.#initialSettings }
  }
}
