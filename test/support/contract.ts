import { afterAll, beforeAll, beforeEach, expect } from 'vitest'
import { CHROME_REDIRECT_URI } from '../../server/extension-ids'
import { authorizationCode } from './consent'
import { getJson, postJson } from './http'
import { startStack, type Runtime, type Stack, type StackOptions } from './stack'

type JsonAnswer = { status: number; headers: Headers; body: any }

/**
 * What the contract suites over real HTTP share (test/server/*.test.ts, on Node and on workerd):
 * stacks started and closed together, and every answer body and every secret (client secret,
 * codes, tokens) kept, so a suite can check at its end that no secret leaked anywhere.
 */
export function contract(runtime: Runtime) {
  const seen: string[] = []
  const secrets = new Set<string>()
  const stacks: Stack[] = []

  async function stack(options: StackOptions = {}): Promise<Stack> {
    const s = await startStack({ ...options, runtime })
    stacks.push(s)
    secrets.add(s.emulator.clientSecret)
    return s
  }

  async function record<T extends { body: unknown }>(response: Promise<T>): Promise<T> {
    const r = await response
    seen.push(JSON.stringify(r.body))
    return r
  }

  const token = (s: Stack, body: unknown, headers?: Record<string, string>): Promise<JsonAnswer> => record(postJson(`${s.serverUrl}/token`, body, headers))
  const refresh = (s: Stack, accessToken: string): Promise<JsonAnswer> => record(postJson(`${s.serverUrl}/refresh`, { access_token: accessToken }))
  const me = (s: Stack, accessToken: string, path = '/me'): Promise<JsonAnswer> =>
    record(getJson(`${s.serverUrl}${path}`, { authorization: `Bearer ${accessToken}` }))

  async function code(s: Stack, options: Parameters<typeof authorizationCode>[1] = {}): Promise<string> {
    const c = await authorizationCode(s.emulator, { username: 'bigodd.creator', ...options })
    secrets.add(c)
    return c
  }

  async function connect(s: Stack, username = 'bigodd.creator') {
    const r = await token(s, { code: await code(s, { username }), redirect_uri: CHROME_REDIRECT_URI })
    expect(r.status).toBe(200)
    secrets.add(r.body.access_token)
    return r.body as { access_token: string; expires_in: number; user: { id: string; username: string; app_scoped_id?: string } }
  }

  /** Arms the emulator's fault hook over HTTP, as a test or demo would. */
  async function fault(s: Stack, spec: Record<string, unknown>) {
    const r = await fetch(`${s.emulator.url}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec) })
    expect(r.status).toBe(201)
  }

  /** The API's error shape: status and code, a description a person can act on, no CORS, no caching. */
  function expectError(r: { status: number; body: any; headers: Headers }, status: number, error: string) {
    expect({ status: r.status, error: r.body.error }).toEqual({ status, error })
    expect(typeof r.body.error_description).toBe('string')
    expect(r.body.error_description.length).toBeGreaterThan(10)
    expect(Object.keys(r.body).sort()).toEqual(['error', 'error_description'])
    expect(r.headers.get('cache-control')).toBe('no-store')
    expect(r.headers.get('access-control-allow-origin')).toBeNull()
  }

  const calls = (s: Stack) => s.emulator.emulator.calls.map((call) => call.endpoint)

  /**
   * The suite's lifecycle, registered where it is called (inside the suite's describe): a first
   * stack started before its tests, every stack's emulator reset before each test, all stacks
   * closed after. `main()` is that first stack.
   */
  function useMainStack(): () => Stack {
    let first: Stack | undefined
    beforeAll(async () => {
      first = await stack()
    })
    beforeEach(() => {
      for (const s of stacks) s.emulator.emulator.reset()
    })
    afterAll(async () => {
      await Promise.all(stacks.map((s) => s.close()))
    })
    return () => {
      if (first === undefined) throw new Error('useMainStack(): the stack is used before beforeAll started it')
      return first
    }
  }

  return { seen, secrets, stacks, stack, record, token, refresh, me, code, connect, fault, expectError, calls, useMainStack }
}
