import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config'
import { isLoopbackHostname } from '../../server/middleware/request-guards'
import { postJson } from '../support/http'
import { startStack, type Stack } from '../support/stack'

/**
 * The README's Node deploy snippet is safe as written (issue 14): with `HOST=0.0.0.0` and
 * `TRUST_PROXY=true` a client reaching the port directly sent 8 requests at a limit of 3 without
 * a 429, by rotating `X-Forwarded-For`. This test runs the snippet's own settings.
 */

function snippetEnv(): Record<string, string> {
  const readme = readFileSync('README.md', 'utf8')
  const section = readme.split('**Node** (any host')[1]
  const block = section && /```sh\n([\s\S]*?)```/.exec(section)?.[1]
  if (!block) throw new Error('README: no sh block under **Node** in "Deploying the server"')
  return Object.fromEntries([...block.matchAll(/\b([A-Z_]+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]))
}

describe('the README deploy snippet', () => {
  const stacks: Stack[] = []
  afterAll(async () => {
    await Promise.all(stacks.map((s) => s.close()))
  })

  it('is a valid configuration that installs with --omit=dev and names its proxy', () => {
    const env = snippetEnv()
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['HOST', 'PORT', 'PUBLIC_URL', 'TRUST_PROXY', 'IG_CLIENT_ID', 'IG_CLIENT_SECRET']))
    const result = loadConfig({ ...env, IG_CLIENT_ID: '990602627938098', IG_CLIENT_SECRET: 'x' })
    expect(result.ok ? [] : result.errors).toEqual([])
    // `true` trusts whoever connects; it is safe only when nobody but the proxy can.
    if (env.TRUST_PROXY === 'true') expect(isLoopbackHostname(env.HOST!)).toBe(true)
    expect(readFileSync('README.md', 'utf8')).toContain('npm ci --omit=dev')
  })

  it('keeps the limit when clients rotate X-Forwarded-For: 8 requests at a limit of 3 get 429 from the 4th', async () => {
    const env = snippetEnv()
    // The snippet's settings, on an ephemeral port, with the emulator's app and a limit of 3.
    const s = await startStack({ env: { HOST: env.HOST!, TRUST_PROXY: env.TRUST_PROXY!, PUBLIC_URL: env.PUBLIC_URL!, RATE_LIMIT_PER_MINUTE: '3' } })
    stacks.push(s)
    const statuses: number[] = []
    for (let i = 0; i < 8; i++) {
      // What reaches the server: the client's made-up hop, then what its proxy appended.
      const forwarded = `198.51.100.${i + 1}, 203.0.113.7`
      statuses.push((await postJson(`${s.serverUrl}/token`, { code: 'x', redirect_uri: 'https://not-allowed.example/' }, { 'x-forwarded-for': forwarded })).status)
    }
    expect(statuses).toEqual([400, 400, 400, 429, 429, 429, 429, 429])
  })
})
