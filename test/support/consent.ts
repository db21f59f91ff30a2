import { CHROME_REDIRECT_URI } from '../../server/extension-ids'
import type { RunningEmulator } from '../../server/emulator'

export interface ConsentOptions {
  redirectUri?: string
  scope?: string
  state?: string
  username?: string
  decision?: 'authorize' | 'cancel'
}

/**
 * Walks the emulator's consent page over HTTP as a browser would: loads the authorize URL, then
 * submits the form. Returns the redirect Instagram would send the browser to.
 */
export async function consent(emulator: RunningEmulator, options: ConsentOptions = {}): Promise<URL> {
  const redirectUri = options.redirectUri ?? CHROME_REDIRECT_URI
  const params = new URLSearchParams({
    client_id: emulator.clientId,
    redirect_uri: redirectUri,
    scope: options.scope ?? 'instagram_business_basic',
    response_type: 'code',
    ...(options.state === undefined ? {} : { state: options.state }),
  })
  const page = await fetch(`${emulator.url}/oauth/authorize?${params}`)
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}`)
  await page.text()
  const form = new URLSearchParams(params)
  form.set('username', options.username ?? emulator.users[0]!.username)
  form.set('decision', options.decision ?? 'authorize')
  const answer = await fetch(`${emulator.url}/oauth/authorize/decision`, { method: 'POST', body: form, redirect: 'manual' })
  const location = answer.headers.get('location')
  if (answer.status !== 302 || !location) throw new Error(`consent decision answered ${answer.status}`)
  return new URL(location)
}

/** An authorization code for `username`, as the extension would read it (without `#_`). */
export async function authorizationCode(emulator: RunningEmulator, options: ConsentOptions = {}): Promise<string> {
  const redirect = await consent(emulator, options)
  const code = redirect.searchParams.get('code')
  if (!code) throw new Error(`no code in ${redirect.origin}${redirect.pathname}`)
  return code
}
