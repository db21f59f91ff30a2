import type { Deps, WorkerBrowser } from '../../src/background/deps'
import { readAccounts } from '../../src/background/accounts'
import { activeEntry } from '../../src/lib/accounts'
import type { StorageLike } from '../../src/lib/storage'
import { fakeStorage } from '../lib/fake-storage'

export const REDIRECT = 'https://keaflfdjmoomnhhnpdggooggjkklfomp.chromiumapp.org/'
export const SERVER = 'http://127.0.0.1:8787'
export const NOW = Date.UTC(2025, 5, 1)

export type Route = (request: { method: string; url: URL; body: unknown; headers: Record<string, string> }) => { status: number; body: unknown } | 'network-error'

export interface Calls {
  fetch: { method: string; path: string; body: unknown; headers: Record<string, string>; origin?: string }[]
  authorize: string[]
  alarms: { name: string; info: unknown }[]
  /** `METHOD origin/path` of every request, to see which server each went to. */
  origins: string[]
}

/**
 * A fake `browser` + `fetch` for the worker's handlers. `consent` decides what the
 * authorization window does with the URL it was opened on.
 */
export function fakeDeps(options: {
  routes?: Record<string, Route>
  consent?: (authorizeUrl: URL) => Promise<string>
  local?: Record<string, unknown>
  session?: Record<string, unknown>
  hostPermission?: boolean
  alarmExists?: boolean
  now?: () => number
} = {}) {
  const calls: Calls = { fetch: [], authorize: [], alarms: [], origins: [] }
  const storage = fakeStorage({ local: options.local ?? {}, session: options.session ?? {} })
  const alarmNames = new Set<string>(options.alarmExists === true ? ['refresh-token'] : [])
  const browser: WorkerBrowser = {
    storage,
    identity: {
      getRedirectURL: () => REDIRECT,
      launchWebAuthFlow: async ({ url, interactive }) => {
        if (interactive !== true) throw new Error('expected an interactive flow')
        calls.authorize.push(url)
        return (options.consent ?? approve)(new URL(url))
      },
    },
    alarms: {
      get: async (name) => (alarmNames.has(name) ? { name } : undefined),
      create: (name, info) => {
        alarmNames.add(name)
        calls.alarms.push({ name, info })
      },
    },
    permissions: { contains: async () => options.hostPermission ?? true },
  }
  const routes = { ...defaultRoutes(), ...options.routes }
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input))
    const method = init?.method ?? 'GET'
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined
    const headers = (init?.headers ?? {}) as Record<string, string>
    calls.fetch.push({ method, path: url.pathname + url.search, body, headers })
    calls.origins.push(`${method} ${url.origin}${url.pathname}`)
    const route = routes[`${method} ${url.pathname}`]
    const answer = route ? route({ method, url, body, headers }) : { status: 404, body: { error: 'not_found', error_description: 'No such route.' } }
    if (answer === 'network-error') throw new TypeError('Failed to fetch')
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'Content-Type': 'application/json' } })
  }) as typeof fetch
  const deps: Deps = { browser, fetch: fetchImpl, now: options.now ?? (() => NOW) }
  return { deps, calls, storage }
}

/** The consent page's Authorize: back to the redirect URL with a code, the same state and `#_`. */
export const approve = async (authorizeUrl: URL): Promise<string> =>
  `${authorizeUrl.searchParams.get('redirect_uri')}?code=CODE123&state=${encodeURIComponent(authorizeUrl.searchParams.get('state') ?? '')}#_`

/** The consent page's Cancel, as Instagram documents it. */
export const cancel = async (authorizeUrl: URL): Promise<string> =>
  `${authorizeUrl.searchParams.get('redirect_uri')}?error=access_denied&error_reason=user_denied&error_description=The+user+denied+your+request&state=${authorizeUrl.searchParams.get('state')}`

export const json = (status: number, body: unknown) => () => ({ status, body })

export const USER = { id: '17841405793187219', username: 'jay.posiris' }
export const PROFILE = { ...USER, name: 'Jay', account_type: 'BUSINESS', media_count: 12, profile_picture_url: 'https://cdn.example/p.jpg' }
export const MEDIA = [{ id: 'm1', media_type: 'IMAGE', media_url: 'https://cdn.example/1.jpg', permalink: 'https://instagram.com/p/1', caption: '<b>hi</b>', timestamp: '2025-01-01T00:00:00+0000' }]

export function defaultRoutes(): Record<string, Route> {
  return {
    'GET /health': json(200, { status: 'ok' }),
    'GET /config': json(200, {
      api: 'instagram-login',
      client_id: '990602627938098',
      authorize_url: 'http://127.0.0.1:9000/oauth/authorize',
      scope: ['instagram_business_basic'],
      redirect_uris: [REDIRECT, 'https://a96edea38fb0fd819d70eacb0c39bf87e1cf9206.extensions.allizom.org/'],
    }),
    'POST /token': json(200, { access_token: 'LONG', token_type: 'bearer', expires_in: 5_184_000, user: USER, permissions: ['instagram_business_basic'] }),
    'POST /refresh': json(200, { access_token: 'REFRESHED', token_type: 'bearer', expires_in: 5_184_000 }),
    'GET /me': json(200, PROFILE),
    'GET /me/media': json(200, { data: MEDIA }),
  }
}

export const storedSession = (over: Record<string, unknown> = {}) => ({
  access_token: 'LONG',
  token_type: 'bearer',
  issued_at: NOW - 1000,
  expires_at: NOW + 50 * 86_400_000,
  user: USER,
  permissions: ['instagram_business_basic'],
  ...over,
})

/** A stored account (schema 2) of `SERVER` and the default `/config` app. */
export const storedAccount = (over: Record<string, unknown> = {}) => ({
  ...storedSession(),
  server: SERVER,
  client_id: '990602627938098',
  added_at: NOW - 1000,
  ...over,
})

/** `storage.local` (schema 2) holding these accounts, the first one active. */
export function localWith(...accounts: ReturnType<typeof storedAccount>[]): Record<string, unknown> {
  const local: Record<string, unknown> = { schemaVersion: 2, accountOrder: accounts.map((a) => (a.user as { id: string }).id) }
  for (const account of accounts) local[`account:${(account.user as { id: string }).id}`] = account
  return local
}

/** What storage holds now: every account, and the active one with its caches. */
export async function stored(storage: StorageLike) {
  const { accounts } = await readAccounts(storage)
  const active = activeEntry(accounts)
  return { accounts, ids: accounts.list.map((e) => e.account.user.id), order: accounts.order, account: active?.account ?? null, profile: active?.profile ?? null, media: active?.media ?? null }
}
