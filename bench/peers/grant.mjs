/**
 * grant: the smallest server its docs lead to (README, Express: express-session, then
 * `grant.express(config)` with `transport: 'session'`, `state: true` and a `callback` route that
 * reads `req.session.grant.response`), with Instagram Login's scope and `response: ['tokens',
 * 'profile']` (the documented way to get the user). PEER_MODE=workaround adds the least change
 * that makes it complete a login.
 *
 * For the benchmark only: `/hello` answers what the app knows as `{id, username, access_token}`
 * (or `{error}`), and `GET /health`.
 */
import express from 'express'
import session from 'express-session'
import grant from 'grant'

const workaround = process.env.PEER_MODE === 'workaround'
const origin = `http://127.0.0.1:${process.env.PORT}`
const app = { key: process.env.IG_CLIENT_ID, secret: process.env.IG_CLIENT_SECRET, scope: ['instagram_business_basic'], response: ['tokens', 'profile'], callback: '/hello' }

const config = workaround
  ? {
      defaults: { origin, transport: 'session', state: true },
      // A provider of another name: grant's built-in `instagram` swaps client_id/client_secret for
      // Basic Display's app_id/app_secret whenever the key is numeric (every Instagram app id).
      instagram_login: {
        ...app,
        authorize_url: 'https://api.instagram.com/oauth/authorize',
        access_url: 'https://api.instagram.com/oauth/access_token',
        oauth: 2,
        profile_url: 'https://graph.instagram.com/me?fields=user_id,username',
      },
    }
  : { defaults: { origin, transport: 'session', state: true }, instagram: app }

express()
  .use(session({ secret: 'grant', saveUninitialized: true, resave: false }))
  .use(grant.express(config))
  .get('/hello', (req, res) => {
    const response = req.session.grant?.response ?? { error: 'no grant response' }
    const profile = response.profile ?? {}
    res.json(
      response.error || profile.error
        ? { error: response.error ?? profile.error }
        : { id: String(profile.user_id ?? profile.id), username: profile.username, access_token: response.access_token },
    )
  })
  .get('/health', (req, res) => res.json({ status: 'ok' }))
  .listen(Number(process.env.PORT), '127.0.0.1')
