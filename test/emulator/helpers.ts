import { afterAll, beforeAll, beforeEach } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../server/emulator'
import { CHROME_REDIRECT_URI } from '../../server/extension-ids'

export const CHROME_REDIRECT = CHROME_REDIRECT_URI

export function authorizeUrl(em: RunningEmulator, params: Record<string, string | undefined> = {}): string {
  const url = new URL('/oauth/authorize', em.url)
  const all: Record<string, string | undefined> = {
    client_id: em.clientId,
    redirect_uri: CHROME_REDIRECT,
    response_type: 'code',
    scope: 'instagram_business_basic',
    ...params,
  }
  for (const [k, v] of Object.entries(all)) if (v !== undefined) url.searchParams.set(k, v)
  return url.toString()
}

/** Submits the consent form as a user would; returns the redirect Location. */
export async function decide(
  em: RunningEmulator,
  decision: 'authorize' | 'cancel',
  fields: Record<string, string | undefined> = {},
): Promise<Response> {
  const body = new URLSearchParams()
  const all: Record<string, string | undefined> = {
    client_id: em.clientId,
    redirect_uri: CHROME_REDIRECT,
    response_type: 'code',
    scope: 'instagram_business_basic',
    username: 'jayposiris',
    decision,
    ...fields,
  }
  for (const [k, v] of Object.entries(all)) if (v !== undefined) body.set(k, v)
  return fetch(`${em.url}/oauth/authorize/decision`, { method: 'POST', body, redirect: 'manual' })
}

export async function getCode(em: RunningEmulator, fields: Record<string, string | undefined> = {}): Promise<string> {
  const res = await decide(em, 'authorize', fields)
  const location = new URL(res.headers.get('location') ?? '')
  const code = location.searchParams.get('code')
  if (!code) throw new Error(`no code in ${location}`)
  return code
}

export function exchange(em: RunningEmulator, code: string, overrides: Record<string, string | undefined> = {}): Promise<Response> {
  const body = new URLSearchParams()
  const all: Record<string, string | undefined> = {
    client_id: em.clientId,
    client_secret: em.clientSecret,
    grant_type: 'authorization_code',
    redirect_uri: CHROME_REDIRECT,
    code,
    ...overrides,
  }
  for (const [k, v] of Object.entries(all)) if (v !== undefined) body.set(k, v)
  return fetch(`${em.url}/oauth/access_token`, { method: 'POST', body })
}

/** Pulls access_token out of either success shape without JSON.parse losing the big id. */
export async function shortToken(em: RunningEmulator, username = 'jayposiris'): Promise<string> {
  const res = await exchange(em, await getCode(em, { username }))
  const text = await res.text()
  const match = /"access_token":"([^"]+)"/.exec(text)
  if (!match?.[1]) throw new Error(`no token in ${text}`)
  return match[1]
}

export async function longToken(em: RunningEmulator, username = 'jayposiris'): Promise<string> {
  const short = await shortToken(em, username)
  const res = await fetch(`${em.url}/access_token?grant_type=ig_exchange_token&client_secret=${em.clientSecret}&access_token=${short}`)
  const body = (await res.json()) as { access_token: string }
  return body.access_token
}

export async function admin(em: RunningEmulator, path: string, body?: unknown, method = 'POST'): Promise<Response> {
  return fetch(`${em.url}/__emulator${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

/**
 * One emulator for the calling test file: started before its tests, reset (`/__emulator/reset`)
 * before each, closed after them. Call at the top of the file; `em()` is the running emulator.
 */
export function useEmulator(): () => RunningEmulator {
  let running: RunningEmulator | undefined
  const em = () => {
    if (running === undefined) throw new Error('useEmulator(): the emulator is used before beforeAll started it')
    return running
  }
  beforeAll(async () => {
    running = await startEmulator()
  })
  afterAll(() => running?.close())
  beforeEach(async () => {
    await admin(em(), '/reset')
  })
  return em
}
