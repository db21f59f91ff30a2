import type { EmulatorProcess } from './processes'

/** The Instagram Login profile fields the server asks for (server/instagram/endpoints.ts). */
const PROFILE_FIELDS = 'user_id,username,name,account_type,profile_picture_url,media_count,followers_count,follows_count'

async function ok(response: Response, what: string): Promise<string> {
  const text = await response.text()
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${text.slice(0, 200)}`)
  return text
}

/**
 * What `POST /token` does upstream, made directly: the code exchange, then the long-lived
 * upgrade and the profile at once (or one after the other, for the sequential sum). `profile`:
 * the code exchange, then the profile alone (what a login library's callback asks Instagram).
 */
export function directExchange(emulator: EmulatorProcess, mode: 'parallel' | 'sequential' | 'profile' = 'parallel') {
  const tokenUrl = `${emulator.url}/oauth/access_token`
  return async (code: string): Promise<void> => {
    const form = new URLSearchParams({
      client_id: emulator.clientId,
      client_secret: emulator.clientSecret,
      grant_type: 'authorization_code',
      redirect_uri: emulator.redirectUri,
      code,
    })
    const exchanged = await ok(
      await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      }),
      'code exchange',
    )
    const shortToken = (JSON.parse(exchanged) as { access_token: string }).access_token
    const longLived = async () => {
      const params = new URLSearchParams({ grant_type: 'ig_exchange_token', client_secret: emulator.clientSecret, access_token: shortToken })
      JSON.parse(await ok(await fetch(`${emulator.url}/access_token?${params}`, { headers: { accept: 'application/json' } }), 'long-lived'))
    }
    const profile = async () => {
      const response = await fetch(`${emulator.url}/v23.0/me?fields=${PROFILE_FIELDS}`, {
        headers: { authorization: `Bearer ${shortToken}`, accept: 'application/json' },
      })
      JSON.parse(await ok(response, 'profile'))
    }
    if (mode === 'profile') {
      await profile()
    } else if (mode === 'parallel') {
      await Promise.all([longLived(), profile()])
    } else {
      await longLived()
      await profile()
    }
  }
}

/** `POST /token` on the exchange server. */
export function serverExchange(serverUrl: string, redirectUri: string) {
  return async (code: string): Promise<void> => {
    const response = await fetch(`${serverUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, redirect_uri: redirectUri }),
    })
    JSON.parse(await ok(response, 'POST /token'))
  }
}
