import { describe, expect, it } from 'vitest'
import type { ServerConfig } from '../../src/lib/api'
import { testConnection, type Step } from '../../src/lib/connection-test'
import { fail, ok, type Result } from '../../src/lib/result'

const context = { serverUrl: 'http://127.0.0.1:8787', redirectUri: 'https://keaflfdjmoomnhhnpdggooggjkklfomp.chromiumapp.org/' }
const config: ServerConfig = {
  api: 'instagram-login',
  client_id: '990602627938098',
  authorize_url: 'http://127.0.0.1:9000/oauth/authorize',
  scope: ['instagram_business_basic'],
  redirect_uris: [context.redirectUri],
}
const api = (health: Result<{ status: string }>, cfg: Result<ServerConfig>) => ({ health: async () => health, config: async () => cfg })
const states = (steps: Step[]) => steps.map((s) => `${s.id}:${s.state}`)

describe('testConnection', () => {
  it('passes all three checks and reports each as it finishes', async () => {
    const reports: string[][] = []
    const steps = await testConnection(api(ok({ status: 'ok' }), ok(config)), context, (s) => reports.push(states(s)))
    expect(states(steps)).toEqual(['health:ok', 'config:ok', 'redirect:ok'])
    expect(reports[0]).toEqual(['health:running', 'config:pending', 'redirect:pending'])
    expect(steps[1]?.detail).toBe('Instagram app 990602627938098 (instagram-login), scope instagram_business_basic.')
  })

  it('says the server is unreachable, how to start it, and skips the rest', async () => {
    const steps = await testConnection(api(fail('server_unreachable', 'x'), ok(config)), context)
    expect(states(steps)).toEqual(['health:failed', 'config:skipped', 'redirect:skipped'])
    expect(steps[0]?.detail).toContain('Nothing answered at http://127.0.0.1:8787')
    expect(steps[0]?.detail).toContain('`npm start`')
  })

  it('fails the config step on a server error', async () => {
    const steps = await testConnection(api(ok({ status: 'ok' }), fail('invalid_response', 'x')), context)
    expect(states(steps)).toEqual(['health:ok', 'config:failed', 'redirect:skipped'])
  })

  it('fails the redirect step naming the URL to add', async () => {
    const steps = await testConnection(api(ok({ status: 'ok' }), ok({ ...config, redirect_uris: ['https://other.chromiumapp.org/'] })), context)
    expect(states(steps)).toEqual(['health:ok', 'config:ok', 'redirect:failed'])
    expect(steps[2]?.detail).toContain(`\`${context.redirectUri}\` is not allowed`)
    expect(steps[2]?.detail).toContain('`ALLOWED_REDIRECT_URIS`')
  })
})
