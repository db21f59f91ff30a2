/**
 * Auth.js: the smallest server its docs lead to (@auth/express's README: Express, `trust proxy`,
 * `ExpressAuth` on /auth/*; the Instagram provider page: `providers: [Instagram]` with
 * AUTH_INSTAGRAM_ID / AUTH_INSTAGRAM_SECRET / AUTH_SECRET in the environment), with Instagram
 * Login's scope. PEER_MODE=workaround adds the least change that makes it complete a login.
 *
 * For the benchmark only, in both modes: the documented jwt/session callbacks that carry the
 * Instagram user id (`account.providerAccountId`; the JWT's `sub` is a random UUID without a
 * database), the access token and the code exchange's `user_id` into the session, `GET /me` (the page the login lands on: what
 * the app knows) and `GET /health`.
 */
import { ExpressAuth, getSession } from '@auth/express'
import Instagram from '@auth/express/providers/instagram'
import express from 'express'

const workaround = process.env.PEER_MODE === 'workaround'
const scope = { url: 'https://api.instagram.com/oauth/authorize', params: { scope: 'instagram_business_basic' } }

const provider = workaround
  ? Instagram({
      authorization: scope,
      token: {
        url: 'https://api.instagram.com/oauth/access_token',
        // Instagram's code exchange answers without `token_type`, which oauth4webapi requires.
        async conform(response) {
          if (!response.ok) return response
          return Response.json({ ...(await response.json()), token_type: 'bearer' })
        },
      },
      // The built-in provider asks Basic Display's /me fields; Instagram Login's user id is `user_id`.
      userinfo: 'https://graph.instagram.com/me?fields=user_id,username',
      profile: (profile) => ({ id: String(profile.user_id), name: profile.username }),
    })
  : Instagram({ authorization: scope })

const authConfig = {
  providers: [provider],
  callbacks: {
    jwt({ token, account }) {
      if (account) Object.assign(token, { instagramId: account.providerAccountId, accessToken: account.access_token, tokenUserId: String(account.user_id) })
      return token
    },
    session({ session, token }) {
      session.user.id = token.instagramId
      Object.assign(session, { accessToken: token.accessToken, tokenUserId: token.tokenUserId })
      return session
    },
  },
}

const app = express()
app.set('trust proxy', true)
app.use('/auth/*', ExpressAuth(authConfig))
app.get('/me', async (req, res) => {
  const session = await getSession(req, authConfig)
  res.json(
    session
      ? { id: session.user.id, username: session.user.name, access_token: session.accessToken, token_user_id: session.tokenUserId }
      : { error: 'no session' },
  )
})
app.get('/health', (req, res) => res.json({ status: 'ok' }))
app.listen(Number(process.env.PORT), '127.0.0.1')
