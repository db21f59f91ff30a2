/**
 * The framework floor for rows 1 and 3: a bare Hono app served the same way as the server
 * (@hono/node-server's request listener on node:http, its own process, bundled on plain Node).
 * `GET /health` answers like the server's; `GET /health-no-store` also sets the two headers
 * every API response carries, and `GET /health-middleware` sets them from a middleware. `POST /token` makes the same three upstream calls through the same
 * transport (server/instagram/node-upstream.ts) with no checks, logging, or error mapping.
 * Environment: PORT, and IG_CLIENT_ID, IG_CLIENT_SECRET, IG_TOKEN_URL, IG_GRAPH_URL for /token.
 */
import { getRequestListener } from '@hono/node-server'
import { Hono } from 'hono'
import { createServer } from 'node:http'
import { createNodeUpstream } from '../server/instagram/node-upstream'

const env = process.env
const PROFILE_FIELDS = 'user_id,username,name,account_type,profile_picture_url,media_count,followers_count,follows_count'
const upstream = createNodeUpstream()
const TIMEOUT_MS = 10_000
const get = async (url: string, headers: Record<string, string> = {}) =>
  JSON.parse((await upstream(url, { headers, timeoutMs: TIMEOUT_MS })).text) as Record<string, unknown>

const app = new Hono()
app.get('/health', (c) => c.json({ status: 'ok' }))
// The same route with the two headers the API puts on every response (SPEC: Cache-Control:
// no-store), set the way the server sets them: Hono's c.header, before the handler runs.
app.get('/health-no-store', (c) => {
  c.header('Cache-Control', 'no-store')
  c.header('X-Content-Type-Options', 'nosniff')
  return c.json({ status: 'ok' })
})
// The same headers from one middleware, the least a Hono app that sets them on every
// response does: with any middleware on a route, Hono runs its compose chain.
app.use('/health-middleware', async (c, next) => {
  c.header('Cache-Control', 'no-store')
  c.header('X-Content-Type-Options', 'nosniff')
  await next()
})
app.get('/health-middleware', (c) => c.json({ status: 'ok' }))
app.post('/token', async (c) => {
  const { code, redirect_uri } = (await c.req.json()) as { code: string; redirect_uri: string }
  const form = new URLSearchParams({
    client_id: env.IG_CLIENT_ID ?? '',
    client_secret: env.IG_CLIENT_SECRET ?? '',
    grant_type: 'authorization_code',
    redirect_uri,
    code,
  })
  const exchanged = await upstream(env.IG_TOKEN_URL ?? '', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    timeoutMs: TIMEOUT_MS,
  })
  const short = JSON.parse(exchanged.text) as { access_token: string }
  const params = new URLSearchParams({ grant_type: 'ig_exchange_token', client_secret: env.IG_CLIENT_SECRET ?? '', access_token: short.access_token })
  const [long, profile] = await Promise.all([
    get(`${env.IG_GRAPH_URL}/access_token?${params}`),
    get(`${env.IG_GRAPH_URL}/v23.0/me?fields=${PROFILE_FIELDS}`, { authorization: `Bearer ${short.access_token}` }),
  ])
  return c.json({ access_token: long.access_token, token_type: 'bearer', expires_in: long.expires_in, user: profile })
})

createServer(getRequestListener(app.fetch)).listen(Number(env.PORT ?? 8790), env.HOST ?? '127.0.0.1')
// Exit cleanly on SIGTERM, as the server does (and so that --cpu-prof writes its profile).
process.once('SIGTERM', () => process.exit(0))
