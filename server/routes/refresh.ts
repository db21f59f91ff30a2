import { Hono } from 'hono'
import { ApiError } from '../errors'
import type { InstagramClient } from '../instagram/client'
import { ACCESS_TOKEN } from '../middleware/bearer'
import { readJsonObject, requireString } from '../middleware/body'
import { apiJson } from '../response'

/** `POST /refresh`: a long-lived token (≥ 24 h old, unexpired) for a fresh 60-day one. */
export function refreshRoutes(instagram: InstagramClient) {
  return new Hono().post('/refresh', async (c) => {
    const body = await readJsonObject(c)
    const token = requireString(body, 'access_token', 4096)
    // The token travels in the refresh URL's query string: anything else (spaces, emoji, up to
    // twelve bytes a character once encoded) only makes a URL Instagram refuses unread.
    if (!ACCESS_TOKEN.test(token)) throw new ApiError('invalid_request', 'The field access_token is not an Instagram access token.')
    const refreshed = await instagram.refresh(token)
    return apiJson({ access_token: refreshed.accessToken, token_type: refreshed.tokenType, expires_in: refreshed.expiresIn })
  })
}
