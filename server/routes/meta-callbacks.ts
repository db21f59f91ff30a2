import { Hono } from 'hono'
import type { ServerConfig } from '../config'
import { ApiError } from '../errors'
import { readFormField } from '../middleware/body'
import { hmacBase64Url, verifySignedRequest } from '../signed-request'
import { apiJson } from '../response'

/**
 * Meta's deauthorize and data-deletion callbacks. The server stores no Instagram data (tokens
 * and profiles live only in the user's extension), so a deletion is complete the moment it is
 * asked for. Its confirmation code is self-verifying — `<issued>.<nonce>.<mac>` — so the status
 * page needs no database and works on every instance of a scaled-out deployment.
 */
export function metaCallbackRoutes(config: ServerConfig, log: (line: string) => void) {
  // Which secret Meta signs with for Instagram-Login apps is not documented (INSTAGRAM-TODAY.md
  // §9): the Instagram app's, and the Meta app's when META_APP_SECRET is set.
  const secrets = [config.clientSecret, ...(config.metaAppSecret ? [config.metaAppSecret] : [])]
  const verified = async (signedRequest: string) => {
    for (const secret of secrets) {
      const result = await verifySignedRequest(signedRequest, secret)
      if (result.ok) return result.payload
    }
    throw new ApiError('invalid_signed_request', 'The signed_request is malformed or its signature does not match the app secret.')
  }
  const mac = (issued: string, nonce: string) => hmacBase64Url(`data-deletion|${issued}|${nonce}`, config.clientSecret)

  return new Hono()
    .post('/instagram/deauthorize', async (c) => {
      await verified(await readFormField(c, 'signed_request'))
      log('deauthorize callback verified')
      return apiJson({ status: 'ok' })
    })
    .post('/instagram/data-deletion', async (c) => {
      await verified(await readFormField(c, 'signed_request'))
      const issued = Date.now().toString(36)
      const nonce = crypto.randomUUID().replace(/-/g, '').slice(0, 12)
      const code = `${issued}.${nonce}.${(await mac(issued, nonce)).slice(0, 22)}`
      log('data-deletion callback verified')
      return apiJson({ url: `${config.publicUrl}/instagram/deletion?code=${code}`, confirmation_code: code })
    })
    .get('/instagram/deletion', async (c) => {
      const code = c.req.query('code')
      if (!code) throw new ApiError('invalid_request', 'Add the confirmation code: /instagram/deletion?code=<code>.')
      const match = /^([0-9a-z]{1,12})\.([0-9a-f]{12})\.([A-Za-z0-9_-]{22})$/.exec(code)
      if (!match || (await mac(match[1]!, match[2]!)).slice(0, 22) !== match[3]) {
        throw new ApiError('not_found', 'No data-deletion request has this confirmation code.')
      }
      return apiJson({
        confirmation_code: code,
        status: 'completed',
        requested_at: new Date(parseInt(match[1]!, 36)).toISOString(),
        description:
          'Instagram Connect keeps no Instagram data on its server; tokens and profiles live only in the browser extension, which deletes them on Disconnect.',
      })
    })
}
