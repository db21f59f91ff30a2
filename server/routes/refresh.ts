import { Hono } from 'hono'
import type { InstagramClient } from '../instagram/client'
import { readJsonObject, requireString } from '../middleware/body'

/** `POST /refresh`: a long-lived token (≥ 24 h old, unexpired) for a fresh 60-day one. */
export function refreshRoutes(instagram: InstagramClient) {
  return new Hono().post('/refresh', async (c) => {
    const body = await readJsonObject(c)
    const token = requireString(body, 'access_token', 4096)
    const refreshed = await instagram.refresh(token)
    return c.json({ access_token: refreshed.accessToken, token_type: refreshed.tokenType, expires_in: refreshed.expiresIn })
  })
}
