/**
 * The peers of row 8 (bench/peers/): Auth.js, grant and passport-instagram, each a server of its
 * own in bench/peers/*.mjs, installed from bench/peers/package-lock.json and kept out of the
 * product's dependency tree. This module installs them, starts them and walks a browser's login
 * through them against the emulator.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { browse, CookieJar } from './cookie-jar'
import { shown } from './page-text'
import { startServerProcess, type EmulatorProcess, type ServerProcess } from './processes'

export const PEERS_DIR = resolve(import.meta.dirname, '../peers')

/**
 * `npm ci` in bench/peers when its node_modules is missing or older than its lockfile (the
 * bench's first run, or after the lockfile changed). Throws with npm's message when it fails.
 */
export function installPeers(): void {
  const installed = join(PEERS_DIR, 'node_modules/.package-lock.json')
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(join(PEERS_DIR, 'package-lock.json')).mtimeMs) return
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: PEERS_DIR, stdio: ['ignore', 'ignore', 'inherit'] })
}

/** `name version` of a package installed in bench/peers. */
export function peerPackage(name: string): string {
  const pkg = JSON.parse(readFileSync(join(PEERS_DIR, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
  return `${name} ${pkg.version}`
}

export type PeerMode = 'docs' | 'workaround'
export type PeerKey = 'authjs' | 'grant' | 'passport'

export interface Peer {
  key: PeerKey
  /** Library names and installed versions. */
  name: () => string
  script: string
  /** Each mode's redirect URI path (registered at the emulator). */
  callbackPath: Record<PeerMode, string>
  /** The browser's first step: the answer that should redirect to Instagram's authorize URL. */
  begin(base: string, jar: CookieJar, mode: PeerMode): Promise<Response>
  /** The callback's redirect when the login succeeded (where the app lands). */
  landing: string
  /** The least work-around, as the row's notes give it. */
  workaround: string
}

export const PEERS: readonly Peer[] = [
  {
    key: 'authjs',
    name: () => `Auth.js (${peerPackage('@auth/core')}, ${peerPackage('@auth/express')})`,
    script: 'bench/peers/authjs.mjs',
    callbackPath: { docs: '/auth/callback/instagram', workaround: '/auth/callback/instagram' },
    async begin(base, jar) {
      const csrf = await browse(`${base}/auth/csrf`, jar)
      const { csrfToken } = (await csrf.json()) as { csrfToken: string }
      return browse(`${base}/auth/signin/instagram`, jar, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrfToken, callbackUrl: `${base}/me` }).toString(),
      })
    },
    landing: '/me',
    workaround:
      '`token.conform` adds the `token_type` Instagram leaves out (oauth4webapi refuses the answer without it; `conform` is ' +
      'an escape hatch Auth.js keeps for its own providers, not documented for apps: nextauthjs/next-auth#6365, #10856); ' +
      '`userinfo` asks `/me` for `user_id,username` and `profile` maps them (the built-in provider asks Basic Display\'s fields)',
  },
  {
    key: 'grant',
    name: () => `grant (${peerPackage('grant')}, ${peerPackage('express')})`,
    script: 'bench/peers/grant.mjs',
    callbackPath: { docs: '/connect/instagram/callback', workaround: '/connect/instagram_login/callback' },
    begin: (base, jar, mode) => browse(`${base}/connect/${mode === 'docs' ? 'instagram' : 'instagram_login'}`, jar),
    landing: '/hello',
    workaround:
      'a provider of another name with Instagram\'s URLs and a `profile_url`: the built-in `instagram` sends Basic Display\'s ' +
      '`app_id`/`app_secret` instead of `client_id`/`client_secret` whenever the app id is numeric, which every Instagram app id is',
  },
  {
    key: 'passport',
    name: () => `passport-instagram (${peerPackage('passport-instagram')}, ${peerPackage('passport')}, ${peerPackage('express')})`,
    script: 'bench/peers/passport.mjs',
    callbackPath: { docs: '/auth/instagram/callback', workaround: '/auth/instagram/callback' },
    begin: (base, jar) => browse(`${base}/auth/instagram`, jar),
    landing: '/',
    workaround:
      'the strategy\'s `userProfile` replaced by one that reads `graph.instagram.com/me?fields=user_id,username`: the built-in ' +
      'one calls `api.instagram.com/v1/users/self`, retired with the legacy API',
  },
]

/** A peer's server on `port`, its Instagram hosts answered by the emulator (bench/peers/instagram-hosts.mjs). */
export function startPeer(peer: Peer, mode: PeerMode, port: number, emulator: EmulatorProcess): Promise<ServerProcess> {
  const env = {
    PEER_MODE: mode,
    INSTAGRAM_EMULATOR_URL: emulator.url,
    IG_CLIENT_ID: emulator.clientId,
    IG_CLIENT_SECRET: emulator.clientSecret,
    AUTH_INSTAGRAM_ID: emulator.clientId,
    AUTH_INSTAGRAM_SECRET: emulator.clientSecret,
    AUTH_SECRET: randomBytes(32).toString('hex'),
    AUTH_TRUST_HOST: 'true',
  }
  return startServerProcess(env, `node --import ./bench/peers/instagram-hosts.mjs ${peer.script}`, port)
}

/** The hosts bench/peers/instagram-hosts.mjs sends to the emulator (the same list). */
const INSTAGRAM_HOSTS = new Set(['www.instagram.com', 'api.instagram.com', 'graph.instagram.com'])

/** `url` on the emulator when it is on one of Instagram's hosts (or the emulator itself); else undefined. */
export function onEmulator(url: string, emulator: EmulatorProcess): URL | undefined {
  const parsed = new URL(url)
  if (parsed.origin === emulator.url) return parsed
  if (!INSTAGRAM_HOSTS.has(parsed.hostname)) return undefined
  return new URL(`${parsed.pathname}${parsed.search}`, emulator.url)
}

export type Step<T> = { ok: true; value: T } | { ok: false; detail: string }

/**
 * Consent as the person gives it on the emulator's page: the authorize URL's parameters posted
 * to the decision endpoint with the chosen account. The redirect back to the app (without the
 * `#_`), or the message the error page shows.
 */
export async function approve(authorize: URL, emulator: EmulatorProcess, username: string): Promise<Step<string>> {
  const form = new URLSearchParams(authorize.searchParams)
  form.set('username', username)
  form.set('decision', 'authorize')
  const answer = await fetch(`${emulator.url}/oauth/authorize/decision`, { method: 'POST', body: form, redirect: 'manual' })
  const location = answer.headers.get('location')
  if (answer.status === 302 && location) return { ok: true, value: location.replace(/#.*$/, '') }
  const shown = /<p role="alert">([^<]*)<\/p>/.exec(await answer.text())?.[1] ?? `status ${answer.status}`
  return { ok: false, detail: `Instagram's authorize page refused the request: "${shown}"` }
}

/** A fresh authorization code for the extension's redirect URI, through the emulator's consent. */
export async function extensionCode(emulator: EmulatorProcess, username: string): Promise<string> {
  const authorize = new URL(`${emulator.url}/oauth/authorize`)
  authorize.search = new URLSearchParams({ client_id: emulator.clientId, redirect_uri: emulator.redirectUri, scope: 'instagram_business_basic', response_type: 'code' }).toString()
  const back = await approve(authorize, emulator, username)
  if (!back.ok) throw new Error(back.detail)
  const code = new URL(back.value).searchParams.get('code')
  if (!code) throw new Error(`no code in the redirect to ${emulator.redirectUri}`)
  return code
}

/** A login walked up to Instagram's redirect back: the callback URL (with a fresh code) and the browser's cookies. */
export interface PendingLogin {
  callbackUrl: string
  jar: CookieJar
}

/** The browser's steps before the callback: the peer's sign-in, Instagram's consent. */
export async function beginLogin(peer: Peer, mode: PeerMode, base: string, emulator: EmulatorProcess, username: string): Promise<Step<PendingLogin>> {
  const jar = new CookieJar()
  const started = await peer.begin(base, jar, mode)
  await started.arrayBuffer()
  const location = started.headers.get('location')
  const authorize = location ? onEmulator(new URL(location, base).toString(), emulator) : undefined
  if (!authorize) return { ok: false, detail: `the sign-in answered ${started.status}${location ? `, to ${location}` : ''}, not a redirect to Instagram` }
  const back = await approve(authorize, emulator, username)
  return back.ok ? { ok: true, value: { callbackUrl: back.value, jar } } : back
}

/** What the app knows after a login, from its landing page. */
export interface SignedIn {
  id: string
  username: string
  access_token: string
  /** The code exchange's `user_id` as the library hands it to the app, where it does. */
  token_user_id?: string
}

/**
 * The callback, then every redirect on the peer's origin as a browser follows it. The user the
 * app landed with, or where the login stopped and what it showed.
 */
export async function finishLogin(base: string, pending: PendingLogin): Promise<Step<SignedIn>> {
  let url = pending.callbackUrl
  const seen: string[] = []
  for (let hop = 0; hop < 5; hop++) {
    const response = await browse(url, pending.jar)
    const text = await response.text()
    const location = response.headers.get('location')
    if (location && response.status >= 300 && response.status < 400) {
      const next = new URL(location, url)
      seen.push(`${response.status} → ${next.pathname}${next.search}`)
      if (next.origin !== new URL(base).origin) break
      url = next.toString()
      continue
    }
    const json = parseJson(text)
    if (response.ok && json && typeof json.id === 'string' && typeof json.access_token === 'string') {
      return { ok: true, value: json as unknown as SignedIn }
    }
    seen.push(`${response.status} ${shown(text)}`)
    break
  }
  return { ok: false, detail: `the callback ended in ${seen.join(', ')}` }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
