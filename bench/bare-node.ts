/**
 * The lowest floor for row 1: `POST /token` relayed by plain node:http (keep-alive agent, no
 * framework, no fetch, no checks), the same three upstream calls. Whatever this adds over the
 * direct calls, no Node server can avoid. Environment as for bare-hono.ts.
 */
import { Agent, createServer, request, type IncomingMessage } from 'node:http'

const env = process.env
const PROFILE_FIELDS = 'user_id,username,name,account_type,profile_picture_url,media_count,followers_count,follows_count'
const agent = new Agent({ keepAlive: true })

function readBody(stream: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    let text = ''
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => (text += chunk))
    stream.on('end', () => done(text))
    stream.on('error', fail)
  })
}

function call(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<any> {
  return new Promise((done, fail) => {
    const req = request(url, { agent, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      readBody(res).then((text) => done(JSON.parse(text)), fail)
    })
    req.on('error', fail)
    req.end(options.body)
  })
}

createServer(async (req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}')
    return
  }
  const { code, redirect_uri } = JSON.parse(await readBody(req)) as { code: string; redirect_uri: string }
  const form = new URLSearchParams({ client_id: env.IG_CLIENT_ID ?? '', client_secret: env.IG_CLIENT_SECRET ?? '', grant_type: 'authorization_code', redirect_uri, code })
  const short = await call(env.IG_TOKEN_URL ?? '', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() })
  const params = new URLSearchParams({ grant_type: 'ig_exchange_token', client_secret: env.IG_CLIENT_SECRET ?? '', access_token: short.access_token })
  const [long, profile] = await Promise.all([
    call(`${env.IG_GRAPH_URL}/access_token?${params}`),
    call(`${env.IG_GRAPH_URL}/v23.0/me?fields=${PROFILE_FIELDS}`, { headers: { authorization: `Bearer ${short.access_token}` } }),
  ])
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ access_token: long.access_token, token_type: 'bearer', expires_in: long.expires_in, user: profile }))
}).listen(Number(env.PORT ?? 8791), '127.0.0.1')

process.once('SIGTERM', () => process.exit(0))
