import type { Context } from 'hono'
import { ApiError } from '../errors'

const MAX_TOKEN_LENGTH = 4096

/** An access token's syntax, RFC 6750 §2.1 `b64token`: what a bearer header or a refresh may carry. */
const B64TOKEN = '[A-Za-z0-9\\-._~+/]+=*'
export const ACCESS_TOKEN = new RegExp(`^${B64TOKEN}$`)
const BEARER_HEADER = new RegExp(`^Bearer +(${B64TOKEN}) *$`, 'i')

/** The access token of `Authorization: Bearer …` (RFC 6750 §2.1), or 401 invalid_token. */
export function bearerToken(c: Context): string {
  const header = c.req.header('authorization') ?? ''
  const match = BEARER_HEADER.exec(header)
  if (!match || match[1]!.length > MAX_TOKEN_LENGTH) {
    throw new ApiError('invalid_token', 'Send the Instagram access token as Authorization: Bearer <token>.', {
      headers: { 'WWW-Authenticate': 'Bearer realm="instagram-connect"' },
    })
  }
  return match[1]!
}
