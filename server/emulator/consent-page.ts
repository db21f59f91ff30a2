import type { TestUser } from './users'

/** The authorize dialog's HTML: plain, inline CSS, every echoed value escaped. */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

const SCOPE_TEXT: Readonly<Record<string, string>> = Object.freeze({
  instagram_business_basic: 'Access your profile and media',
  instagram_business_content_publish: 'Publish content to your account',
  instagram_business_manage_messages: 'Manage and access your messages',
  instagram_business_manage_comments: 'Manage and access comments on your media',
  instagram_business_manage_insights: 'Access insights for your account',
  user_profile: 'Your profile info (username, account type)',
  user_media: 'Your photos, videos and captions',
})

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#fafafa;color:#262626}
main{max-width:420px;margin:40px auto;background:#fff;border:1px solid #dbdbdb;border-radius:12px;padding:28px}
.brand{font-size:26px;font-weight:600;text-align:center;margin:0 0 4px;letter-spacing:-.5px}
.note{text-align:center;color:#8e8e8e;font-size:12px;margin:0 0 20px}
h1{font-size:17px;margin:0 0 12px}
ul.scopes{padding-left:20px;margin:0 0 20px}
fieldset{border:1px solid #efefef;border-radius:8px;margin:0 0 20px;padding:8px 12px}
legend{font-weight:600;padding:0 4px}
label.user{display:flex;align-items:center;gap:10px;padding:8px 4px;cursor:pointer}
label.user img{width:36px;height:36px;border-radius:50%}
.muted{color:#8e8e8e;font-size:13px}
.buttons{display:flex;gap:10px}
button{flex:1;font:inherit;font-weight:600;border-radius:8px;padding:10px;cursor:pointer;border:1px solid #dbdbdb;background:#fff;color:#262626}
button.primary{background:#0095f6;border-color:#0095f6;color:#fff}
button:focus-visible{outline:3px solid #86c5f7;outline-offset:2px}
code{word-break:break-all}
`

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="brand">Instagram</p>
<p class="note">Instagram emulator — not the real Instagram</p>
${body}
</main>
</body>
</html>`
}

export interface ConsentPageInput {
  appName: string
  clientId: string
  redirectUri: string
  responseType: string
  scopes: readonly string[]
  rawScope: string
  state: string | undefined
  users: readonly TestUser[]
  avatarUrl: (username: string) => string
  action: string
  /** `force_reauth=true`: the page says the person is asked which account to use, whoever is signed in. */
  forceReauth?: boolean
}

export function renderConsentPage(input: ConsentPageInput): string {
  const hidden = (name: string, value: string): string =>
    `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`
  const scopes = input.scopes
    .map((s) => `<li>${escapeHtml((Object.hasOwn(SCOPE_TEXT, s) ? SCOPE_TEXT[s] : undefined) ?? s)} <span class="muted">(${escapeHtml(s)})</span></li>`)
    .join('\n')
  const users = input.users
    .map((u, i) =>
      `<label class="user"><input type="radio" name="username" value="${escapeHtml(u.username)}"${i === 0 ? ' checked' : ''}>` +
      `<img src="${escapeHtml(input.avatarUrl(u.username))}" alt="">` +
      `<span><strong>${escapeHtml(u.username)}</strong><br><span class="muted">${escapeHtml(u.name)} · ${escapeHtml(u.accountType)}</span></span></label>`,
    )
    .join('\n')
  return page(
    `Authorize ${input.appName}`,
    `<h1>${escapeHtml(input.appName)} would like to:</h1>
<ul class="scopes">
${scopes}
</ul>
<form method="post" action="${escapeHtml(input.action)}">
${hidden('client_id', input.clientId)}
${hidden('redirect_uri', input.redirectUri)}
${hidden('response_type', input.responseType)}
${hidden('scope', input.rawScope)}
${input.state === undefined ? '' : hidden('state', input.state)}
${input.forceReauth ? '<p class="muted">Sign in again: choose the Instagram account to use.</p>\n' : ''}<fieldset>
<legend>Continue as</legend>
${users}
</fieldset>
<p class="muted">You will be sent back to <code>${escapeHtml(input.redirectUri)}</code></p>
<div class="buttons">
<button type="submit" name="decision" value="cancel">Cancel</button>
<button type="submit" name="decision" value="authorize" class="primary">Authorize</button>
</div>
</form>`,
  )
}

export function renderErrorPage(message: string): string {
  return page(
    'Error',
    `<h1>Sorry, this page isn't available.</h1>
<p role="alert">${escapeHtml(message)}</p>
<p class="muted">The app's authorization request could not be completed.</p>`,
  )
}
