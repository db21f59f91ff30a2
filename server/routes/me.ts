import { Hono } from 'hono'
import { ApiError } from '../errors'
import type { InstagramClient } from '../instagram/client'
import { bearerToken } from '../middleware/bearer'
import { apiJson } from '../response'

const DEFAULT_MEDIA_LIMIT = 12
const MAX_MEDIA_LIMIT = 100

/** `GET /me` and `GET /me/media`: the extension's reads, proxied so Graph errors map one way. */
export function meRoutes(instagram: InstagramClient) {
  return new Hono()
    .get('/me', async (c) => apiJson(await instagram.profile(bearerToken(c))))
    .get('/me/media', async (c) => {
      const token = bearerToken(c)
      const limitParam = c.req.query('limit')
      let limit = DEFAULT_MEDIA_LIMIT
      if (limitParam !== undefined) {
        limit = /^\d{1,3}$/.test(limitParam) ? Number(limitParam) : Number.NaN
        if (!(limit >= 1 && limit <= MAX_MEDIA_LIMIT)) {
          throw new ApiError('invalid_request', `limit must be a whole number from 1 to ${MAX_MEDIA_LIMIT}.`)
        }
      }
      return apiJson({ data: await instagram.media(token, limit) })
    })
}
