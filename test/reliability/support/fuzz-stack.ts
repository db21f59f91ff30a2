import { CHROME_REDIRECT_URI, FIREFOX_REDIRECT_URI } from '../../../server/extension-ids'
import { signRequest } from '../../../server/signed-request'
import { startStack, type Stack } from '../../support/stack'
import { REAL, type FuzzRequest } from './arbitraries'
import { SecretCapture } from './capture'
import type { ModelContext } from './model'
import type { Outgoing } from './send'

export const ALLOWED_ORIGIN = 'https://app.example.com'

/** Methods node:http sends without chunked framing; a body on them needs a Content-Length. */
const UNCHUNKED = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'])

/**
 * The emulator and the server for a fuzz suite, with what the suite needs to fill placeholders
 * with real values and to tell the model which values are real. Every secret it hands out and
 * every line and body it sees goes into `capture`.
 */
export class FuzzStack {
  readonly capture = new SecretCapture()
  readonly realCodes = new Map<string, string>()
  readonly realTokens = new Set<string>()
  readonly validSignedRequests = new Set<string>()
  readonly validConfirmationCodes = new Set<string>()
  faultsArmed = 0
  faultsConsumed = 0
  #armed = false

  private constructor(readonly stack: Stack) {
    this.capture.secret('client_secret', stack.emulator.clientSecret)
  }

  static async start(env: Record<string, string> = {}): Promise<FuzzStack> {
    const stack = await startStack({
      env: { RATE_LIMIT_PER_MINUTE: '1000000', READ_RATE_LIMIT_PER_MINUTE: '1000000', UPSTREAM_TIMEOUT_MS: '250', ALLOWED_ORIGINS: ALLOWED_ORIGIN, ...env },
    })
    const fuzz = new FuzzStack(stack)
    const user = stack.emulator.users.find((u) => u.username === 'bigodd.creator')!
    const token = stack.emulator.emulator.issueToken('long', user, ['instagram_business_basic']).token
    fuzz.realTokens.add(token)
    fuzz.capture.secret('access_token', token)
    return fuzz
  }

  get url(): string {
    return this.stack.serverUrl
  }

  get port(): number {
    return this.stack.server.port
  }

  issueCode(redirectUri: string): string {
    const user = this.stack.emulator.users.find((u) => u.username === 'bigodd.creator')!
    const { code } = this.stack.emulator.emulator.issueCode({ clientId: this.stack.emulator.clientId, redirectUri, user, scopes: ['instagram_business_basic'] })
    this.realCodes.set(code, redirectUri)
    this.capture.secret('code', code)
    return code
  }

  async signed(payload: Record<string, unknown> = {}): Promise<string> {
    const value = await signRequest({ algorithm: 'HMAC-SHA256', user_id: '17841405793187219', issued_at: Math.floor(Date.now() / 1000), ...payload }, this.stack.emulator.clientSecret)
    this.validSignedRequests.add(value)
    return value
  }

  /** Fills the placeholders with real values, arms the fault, and says what the model needs. */
  async materialize(req: FuzzRequest): Promise<{ out: Outgoing; ctx: ModelContext }> {
    const values = new Map<string, string>()
    const fill = async (text: string): Promise<string> => {
      for (const [placeholder, make] of [
        [REAL.chromeCode, () => this.issueCode(CHROME_REDIRECT_URI)],
        [REAL.firefoxCode, () => this.issueCode(FIREFOX_REDIRECT_URI)],
        [REAL.token, () => [...this.realTokens][0]!],
        [REAL.signed, () => this.signed()],
        [REAL.confirmation, () => [...this.validConfirmationCodes][0] ?? 'none-yet'],
      ] as const) {
        if (!text.includes(placeholder)) continue
        if (!values.has(placeholder)) values.set(placeholder, await make())
        text = text.split(placeholder).join(values.get(placeholder)!)
      }
      return text
    }
    const headers: Record<string, string | string[]> = {}
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? await Promise.all(value.map(fill)) : await fill(value)
    let body: Buffer | undefined
    if (req.body) {
      body = Buffer.from(await fill(req.body.bytes.toString('latin1')), 'latin1')
      if (!req.body.chunked || UNCHUNKED.has(req.method.toUpperCase())) headers['content-length'] = String(body.length)
    }
    if (req.fault) {
      this.stack.emulator.emulator.faults.add({ kind: req.fault.kind, match: req.fault.match, delayMs: req.fault.kind === 'delay' ? 400 : undefined })
      this.faultsArmed += 1
      this.#armed = true
    }
    // node:http upper-cases methods; the raw-socket suite sends them as they are.
    const out: Outgoing = { method: req.method.toUpperCase(), target: await fill(req.target), headers, ...(body ? { body } : {}) }
    return {
      out,
      ctx: {
        allowedOrigins: [ALLOWED_ORIGIN],
        allowedRedirectUris: [CHROME_REDIRECT_URI, FIREFOX_REDIRECT_URI],
        realCodes: this.realCodes,
        realTokens: this.realTokens,
        validSignedRequests: this.validSignedRequests,
        validConfirmationCodes: this.validConfirmationCodes,
        faulted: req.fault !== undefined,
        wellFormedMultipart: req.body?.wellFormedMultipart ?? false,
      },
    }
  }

  /** After each request: disarms a fault nobody consumed, forgets spent codes. */
  settle(): void {
    if (this.#armed && this.stack.emulator.emulator.faults.pending().length === 0) this.faultsConsumed += 1
    this.#armed = false
    this.stack.emulator.emulator.faults.clear()
    for (const code of this.realCodes.keys()) if (!this.stack.emulator.emulator.codes.has(code)) this.realCodes.delete(code)
  }

  /** The server's log lines so far go into the capture (call once, at the end). */
  collectLogs(source: string): void {
    for (const line of this.stack.logs) this.capture.log(source, line)
  }

  close(): Promise<void> {
    return this.stack.close()
  }
}
