import { Hono } from 'hono'
import type { ServerConfig } from '../config'
import { ApiError } from '../errors'
import { authorizationCodeFrom } from '../instagram/authorization-code'
import { SHORT_LIVED_SECONDS } from '../instagram/endpoints'
import type { InstagramClient } from '../instagram/client'
import { readJsonObject, requireString } from '../middleware/body'
import { apiJson } from '../response'

const MAX_FIELD_LENGTH = 2048

/**
 * `POST /token`: the authorization code for a token and the user's profile.
 * The redirect URI is checked against the allow-list before Instagram is called, so a stolen
 * code cannot be redeemed for a redirect the operator never registered.
 */
export function tokenRoutes(config: ServerConfig, instagram: InstagramClient, warn: (line: string) => void) {
  return new Hono().post('/token', async (c) => {
    const body = await readJsonObject(c)
    const code = authorizationCodeFrom(requireString(body, 'code', MAX_FIELD_LENGTH))
    if (code === '') throw new ApiError('invalid_request', 'The field code is empty once the #_ Instagram appends is removed.')
    const redirectUri = requireString(body, 'redirect_uri', MAX_FIELD_LENGTH)
    if (!config.allowedRedirectUris.includes(redirectUri)) {
      throw new ApiError(
        'redirect_uri_not_allowed',
        `The redirect URI ${redirectUri} is not in ALLOWED_REDIRECT_URIS; add it there and to the Instagram app's valid OAuth redirect URIs (exactly, including the trailing slash).`,
      )
    }

    const short = await instagram.exchangeCode(code, redirectUri)
    let accessToken = short.accessToken
    let expiresIn = SHORT_LIVED_SECONDS
    // The code is spent now: the calls that follow are never refused for UPSTREAM_MAX_CONCURRENCY.
    let profilePromise = instagram.profile(short.accessToken, { followUp: true })

    if (config.tokenLifetime === 'long') {
      // The profile does not need the long-lived token, so both calls run at once.
      const [long, profile] = await Promise.allSettled([instagram.exchangeForLongLived(short.accessToken, { followUp: true }), profilePromise])
      if (profile.status === 'rejected') throw profile.reason
      profilePromise = Promise.resolve(profile.value)
      if (long.status === 'fulfilled') {
        accessToken = long.value.accessToken
        expiresIn = long.value.expiresIn
      } else {
        // The code is spent; losing the login over the upgrade would force a new consent.
        // The short-lived token works for an hour and the next connect tries the upgrade again.
        const code = long.reason instanceof ApiError ? long.reason.code : 'server_error'
        warn(`long-lived upgrade failed (${code}); answering with the short-lived token`)
      }
    }

    // `user.id` is `/me`'s professional account id, as `GET /me` answers it, not the code
    // exchange's app-scoped `user_id` (SPEC "Two families of ids").
    const profile = await profilePromise
    return apiJson({
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: expiresIn,
      user: profile,
      permissions: short.permissions,
    })
  })
}
