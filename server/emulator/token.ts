import { Hono } from 'hono'
import { EMULATOR_PATHS, type EmulatorConfig } from './config'
import { jsonResponse, oauthError } from './errors'
import type { EmulatorState } from './state'
import { upstreamCall } from './upstream'

/**
 * The code exchange (`POST api.instagram.com/oauth/access_token`): form or multipart body,
 * the client secret checked, codes single-use and valid for one hour, the same `redirect_uri`
 * required; errors in the flat `OAuthException` shape. Success is flat with a numeric `user_id`
 * (the app-scoped id) and `permissions` as an array, as Instagram sends it; the documented
 * wrapped shape with a comma-separated string is a setting.
 */
export function tokenRoutes(state: EmulatorState, config: EmulatorConfig): Hono {
  return new Hono().post(EMULATOR_PATHS.token, upstreamCall(state, 'token'), async (c) => {
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
    const field = (key: string): string | undefined => {
      const value = body[key]
      return typeof value === 'string' && value !== '' ? value : undefined
    }
    for (const key of ['client_id', 'client_secret', 'grant_type', 'redirect_uri', 'code']) {
      if (!field(key)) return oauthError(`Missing required field ${key}`)
    }
    if (field('client_id') !== config.clientId) return oauthError('Invalid platform app')
    if (field('client_secret') !== config.clientSecret) return oauthError('Error validating client secret.')
    if (field('grant_type') !== 'authorization_code') return oauthError('Unsupported grant_type')
    // One try: the code is consumed even when this attempt fails on redirect_uri.
    const code = state.consumeCode(field('code') ?? '')
    if (!code || code.clientId !== config.clientId) return oauthError('Matching code was not found or was already used')
    if (code.redirectUri !== field('redirect_uri')) {
      return oauthError(
        'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
      )
    }
    const token = state.issueToken('short', code.user, code.scopes)
    const permissions =
      state.permissionsAs() === 'string' ? JSON.stringify(code.scopes.join(',')) : JSON.stringify(code.scopes)
    // Built by hand so user_id stays an exact JSON number even above 2^53.
    const inner = `{"access_token":${JSON.stringify(token.token)},"user_id":${code.user.id},"permissions":${permissions}}`
    return jsonResponse(state.settings.tokenShape === 'wrapped' ? `{"data":[${inner}]}` : inner)
  })
}
