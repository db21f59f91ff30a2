/**
 * Issue 16: what the worker stores (error messages), the popup renders (its views, through
 * Preact) and the options page checks say, in another language than English, with Intl numbers.
 */
import { renderToString } from 'preact-render-to-string'
import { afterEach, describe, expect, it } from 'vitest'
import { testConnection } from '../../src/lib/connection-test'
import { describeError } from '../../src/lib/errors'
import { ProfileCard } from '../../src/popup/profile-card'
import { Message } from '../../src/ui/message'
import { installI18n } from '../support/i18n'

const ctx = { serverUrl: 'http://127.0.0.1:8787', redirectUri: 'https://keaflfdjmoomnhhnpdggooggjkklfomp.chromiumapp.org/' }
const profile = { id: '1', username: 'jayposiris', name: 'Jay', account_type: 'BUSINESS', media_count: 1, followers_count: 1284, follows_count: 311 }

afterEach(() => installI18n('en'))

describe('in other languages', () => {
  it('the worker’s error messages (pt-BR, Turkish), with the server URL and the wait filled in', () => {
    installI18n('pt_BR')
    const unreachable = describeError({ code: 'server_unreachable', message: 'm' }, ctx)
    expect(unreachable.title).toBe('Não foi possível acessar o servidor')
    expect(unreachable.detail).toBe('Nada respondeu em http://127.0.0.1:8787. Inicie o servidor com `npm start` (ou `npm run server`) ou mude a URL dele em Opções e tente novamente.')
    expect(describeError({ code: 'instagram_rate_limited', message: 'm', retryAfter: 600 }, ctx).detail).toContain('Aguarde cerca de 10 minutos e tente novamente.')
    installI18n('tr')
    expect(describeError({ code: 'cancelled', message: 'm' }, ctx).title).toBe('Bağlantı iptal edildi')
    expect(describeError({ code: 'some_new_code', message: 'Boom.' }, ctx).detail).toContain('“Boom.”')
  })

  it('the profile card: Instagram’s words, Intl numbers and plurals (Spanish, Indonesian)', () => {
    installI18n('es')
    const es = renderToString(<ProfileCard profile={profile} />).replace(/\u00a0/g, ' ')
    for (const text of ['Cuenta de empresa', '<dt>publicación</dt>', '<dd>1,3 mil</dd>', '<dt>seguidores</dt>', '<dt>seguidos</dt>', 'aria-label="Perfil de Instagram"']) expect(es).toContain(text)
    installI18n('id')
    const id = renderToString(<ProfileCard profile={profile} />).replace(/\u00a0/g, ' ')
    for (const text of ['Akun bisnis', '<dt>kiriman</dt>', '<dd>1,3 rb</dd>', '<dt>pengikut</dt>']) expect(id).toContain(text)
  })

  it('the connection checks (Spanish)', async () => {
    installI18n('es')
    const api = {
      health: async () => ({ ok: true as const, data: { status: 'ok' } }),
      config: async () => ({ ok: true as const, data: { api: 'instagram_login', client_id: '42', authorize_url: 'https://x', scope: ['a'], redirect_uris: [] } }),
    }
    const steps = await testConnection(api, ctx)
    expect(steps.map((s) => [s.label, s.state])).toEqual([
      ['El servidor responde (GET /health)', 'ok'],
      ['El servidor tiene una app de Instagram configurada (GET /config)', 'ok'],
      ['El servidor permite la URL de redireccionamiento de esta extensión', 'failed'],
    ])
    expect(steps[2]!.detail).toBe(`\`${ctx.redirectUri}\` no está permitida (permitidas: ninguna). Agrégala a \`ALLOWED_REDIRECT_URIS\` en el servidor y a los URI de redireccionamiento de la app de Instagram, y luego reinicia el servidor.`)
  })

  it('Message puts elements where each translation places them', () => {
    const render = () => renderToString(<Message id="welcome_pin_step2_firefox" parts={[<strong>A</strong>, <strong>B</strong>]} />)
    expect(render()).toBe('Next to <strong>A</strong>, open the gear menu and choose <strong>B</strong>.')
    installI18n('tr')
    expect(render()).toBe('<strong>A</strong> yanındaki dişli menüsünü aç ve <strong>B</strong> seçeneğini seç.')
  })
})
