import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { fuzzRequest, type FuzzRequest } from './support/arbitraries'
import { Figures } from './support/figures'
import { ALLOWED_ORIGIN, FuzzStack } from './support/fuzz-stack'
import { predictAsSent } from './support/model'
import { contractViolations, outcomeExpected, outcomeOf, ROUTES } from './support/oracle'
import { send, type Outgoing } from './support/send'
import { SEED, SIZE, TEST_TIMEOUT_MS } from './support/size'

vi.setConfig({ testTimeout: TEST_TIMEOUT_MS })

/**
 * Property-based fuzzing of every endpoint over real HTTP: arbitrary methods, paths, queries,
 * headers, content types and bodies (wrong types, huge and unicode strings, nested JSON, repeated
 * keys, broken multipart), some with an emulator fault armed. Each answer must be the one the
 * SPEC's rules give for that request (support/model.ts) and keep the contract (support/oracle.ts):
 * a documented status and shape, Cache-Control: no-store, no `Access-Control-Allow-Origin: *`,
 * no 500, no hang.
 */

const figures = new Figures('endpoints')
let fz: FuzzStack

beforeAll(async () => {
  fz = await FuzzStack.start()
  // One real confirmation code for the status page.
  const form = new URLSearchParams({ signed_request: await fz.signed() }).toString()
  const r = await fetch(`${fz.url}/instagram/data-deletion`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })
  fz.validConfirmationCodes.add(((await r.json()) as { confirmation_code: string }).confirmation_code)
})

afterAll(async () => {
  await fz?.close()
  figures.flush()
})

export function describeRequest(out: Outgoing): string {
  const body = out.body ? ` body(${out.body.length}B)=${JSON.stringify(out.body.toString('utf8').slice(0, 160))}` : ''
  return `${out.method} ${out.target.slice(0, 120)} ${JSON.stringify(out.headers).slice(0, 400)}${body}`
}

describe('every endpoint, arbitrary requests', () => {
  it('answers each as the SPEC says, never 500, never a hang', async () => {
    const port = fz.port
    const loopbackHost = fc.constantFrom(`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`, `app.localhost:${port}`, '127.0.0.1', `127.1.2.3:${port}`)
    const failures: string[] = []
    let unpredicted = 0

    await fc.assert(
      fc.asyncProperty(fuzzRequest(loopbackHost), async (req: FuzzRequest) => {
        const { out, ctx } = await fz.materialize(req)
        const expected = predictAsSent(out, ctx)
        let problems: string[]
        let outcome: string
        try {
          const answer = await send(fz.url, out)
          const path = out.target.split('?')[0]!
          problems = contractViolations(
            { method: out.method, ...(path in ROUTES ? { route: path } : {}), ...(typeof out.headers.origin === 'string' ? { origin: out.headers.origin } : {}) },
            answer,
            { allowedOrigins: [ALLOWED_ORIGIN], publicUrl: fz.url },
          )
          outcome = outcomeOf(answer, out.method)
          if (expected && !outcomeExpected(outcome, expected)) problems.push(`the SPEC's rules give ${expected.join(' | ')}, the server answered ${outcome}: ${answer.text.slice(0, 200)}`)
          fz.capture.response(`${out.method} ${path}`, answer.text, { handsOutToken: answer.status === 200 && (path === '/token' || path === '/refresh') })
        } catch (error) {
          outcome = 'no answer'
          problems = [(error as Error).message]
        } finally {
          fz.settle()
        }
        figures.add('requests')
        figures.count('outcomes', out.method === 'HEAD' && /^\d{3}$/.test(outcome) && outcome >= '400' ? `${outcome} (HEAD)` : outcome)
        figures.count('bodies', req.body?.label ?? 'none')
        if (!expected) unpredicted += 1
        if (problems.length > 0) failures.push(`${describeRequest(out)}\n  → ${problems.join('\n  → ')}`)
      }),
      { numRuns: SIZE.httpRuns.endpoints, seed: SEED },
    )

    figures.set('faultsArmed', fz.faultsArmed)
    figures.set('faultsInjected', fz.faultsConsumed)
    figures.set('unpredicted', unpredicted)
    figures.set('failures', failures.length)
    figures.set('failureExamples', failures.slice(0, 5))
    expect(failures.slice(0, 5), `${failures.length} of ${SIZE.httpRuns.endpoints} requests broke the contract (seed ${SEED})`).toEqual([])
    // The model must predict most answers, or it is not checking much.
    expect(unpredicted).toBeLessThan(SIZE.httpRuns.endpoints * 0.2)
  })

  it('leaks no secret, token or code in any answer or log line, and logs one well-formed line per request', () => {
    fz.collectLogs('endpoints')
    expect(fz.capture.malformedLogLines().slice(0, 5)).toEqual([])
    expect(fz.capture.leaks()).toEqual([])
    expect(fz.capture.secrets.size).toBeGreaterThan(10)
    fz.capture.flush('endpoints')
  })
})
