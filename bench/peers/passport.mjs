/**
 * passport-instagram: the smallest server its docs lead to (its README and passport's: Express,
 * express-session, `passport.session()`, serializeUser/deserializeUser, the strategy with
 * clientID/clientSecret/callbackURL, `/auth/instagram` and `/auth/instagram/callback` with
 * `failureRedirect`), with Instagram Login's scope. PEER_MODE=workaround adds the least change
 * that makes it complete a login.
 *
 * For the benchmark only: `GET /` answers what the app knows as `{id, username, access_token,
 * token_user_id}` (the last from the code exchange's answer, which passport hands to the verify callback),
 * `GET /login` `{error}`, and `GET /health`.
 */
import express from 'express'
import session from 'express-session'
import passport from 'passport'
import passportInstagram from 'passport-instagram'

const { Strategy: InstagramStrategy } = passportInstagram
const { InternalOAuthError } = await import('passport-oauth2')
const workaround = process.env.PEER_MODE === 'workaround'

const strategy = new InstagramStrategy(
  {
    clientID: process.env.IG_CLIENT_ID,
    clientSecret: process.env.IG_CLIENT_SECRET,
    callbackURL: `http://127.0.0.1:${process.env.PORT}/auth/instagram/callback`,
  },
  (accessToken, refreshToken, params, profile, done) =>
    done(null, { id: String(profile.id), username: profile.username, access_token: accessToken, token_user_id: String(params.user_id) }),
)
if (workaround) {
  // The strategy's profile URL (api.instagram.com/v1/users/self) was retired with the legacy API.
  strategy.userProfile = function (accessToken, done) {
    this._oauth2.get('https://graph.instagram.com/me?fields=user_id,username', accessToken, (error, body) => {
      if (error) return done(new InternalOAuthError('failed to fetch user profile', error))
      const json = JSON.parse(body)
      done(null, { provider: 'instagram', id: json.user_id, username: json.username })
    })
  }
}
passport.use(strategy)
passport.serializeUser((user, done) => done(null, user))
passport.deserializeUser((user, done) => done(null, user))

const app = express()
app.use(session({ secret: 'keyboard cat', resave: false, saveUninitialized: false }))
app.use(passport.session())
app.get('/auth/instagram', passport.authenticate('instagram', { scope: ['instagram_business_basic'] }))
app.get('/auth/instagram/callback', passport.authenticate('instagram', { failureRedirect: '/login' }), (req, res) => res.redirect('/'))
app.get('/', (req, res) => res.json(req.user ?? { error: 'not signed in' }))
app.get('/login', (req, res) => res.json({ error: 'login failed' }))
app.get('/health', (req, res) => res.json({ status: 'ok' }))
app.listen(Number(process.env.PORT), '127.0.0.1')
