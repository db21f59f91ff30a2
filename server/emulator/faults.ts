/**
 * The fault hook: the next N upstream calls (token and Graph endpoints) fail in a chosen way,
 * so tests and demos can reach every error path. Admin, consent and picture routes are never
 * affected.
 * - `http500`: Graph's code 2 (transient) with HTTP 500;
 * - `no-answer`: the request is held until the client gives up;
 * - `non-json`: HTTP 200 with an HTML body;
 * - `delay`: the answer comes after `delay_ms`;
 * - `graph-error`: `{"error":{message,type,code,error_subcode?,is_transient?,fbtrace_id}}` with
 *   any `code`, `error_subcode`, `type`, `is_transient`, `message` and HTTP `status`;
 * - `oauth-error`: the token endpoint's flat `{"error_type","code","error_message"}`;
 * - `html`: an HTML page with HTTP `status` (4xx, 5xx or 200);
 * - `drop-connection`: the request is read and handled (a code is spent), then the connection is
 *   closed without an answer.
 */
export const FAULT_KINDS = Object.freeze(['http500', 'no-answer', 'non-json', 'delay', 'graph-error', 'oauth-error', 'html', 'drop-connection'] as const)
export type FaultKind = (typeof FAULT_KINDS)[number]

/** What `graph-error` and `oauth-error` answer; every field optional. */
export interface FaultError {
  code?: number
  error_subcode?: number
  type?: string
  is_transient?: boolean
  message?: string
}

/** Upstream endpoint names; `match` takes one of them (a name, not a path substring). */
export const UPSTREAM_ENDPOINTS = Object.freeze(['token', 'long-lived', 'refresh', 'profile', 'media'] as const)
export type UpstreamEndpoint = (typeof UPSTREAM_ENDPOINTS)[number]

export interface FaultSpec {
  kind: FaultKind
  /** How many matching calls fail; default 1. */
  count?: number
  /** For `delay`: how long to wait before answering normally. */
  delayMs?: number
  /** Only calls to this endpoint consume the fault. */
  match?: UpstreamEndpoint
  /** HTTP status for `graph-error` (default 400), `oauth-error` (400) and `html` (500). */
  status?: number
  /** For `graph-error` and `oauth-error`. */
  error?: FaultError
}

export interface PendingFault {
  readonly kind: FaultKind
  remaining: number
  readonly delayMs: number
  readonly match: UpstreamEndpoint | undefined
  readonly status: number | undefined
  readonly error: FaultError | undefined
}

/** A `no-answer` call is released after this long even if the client stays. */
export const NO_ANSWER_LIMIT_MS = 5 * 60_000

export class FaultHook {
  #queue: PendingFault[] = []

  add(spec: FaultSpec): PendingFault {
    if (!FAULT_KINDS.includes(spec.kind)) {
      throw new TypeError(`Unknown fault kind "${String(spec.kind)}"; expected one of ${FAULT_KINDS.join(', ')}`)
    }
    const count = spec.count ?? 1
    if (!Number.isInteger(count) || count < 1) throw new TypeError('count must be a positive integer')
    const delayMs = spec.delayMs ?? (spec.kind === 'delay' ? 1000 : 0)
    if (!Number.isFinite(delayMs) || delayMs < 0) throw new TypeError('delay_ms must be a non-negative number')
    if (spec.match !== undefined && !UPSTREAM_ENDPOINTS.includes(spec.match)) {
      throw new TypeError(`Unknown match "${String(spec.match)}"; expected one of ${UPSTREAM_ENDPOINTS.join(', ')}`)
    }
    if (spec.status !== undefined && !(Number.isInteger(spec.status) && spec.status >= 200 && spec.status <= 599)) {
      throw new TypeError('status must be an HTTP status from 200 to 599')
    }
    const fault: PendingFault = { kind: spec.kind, remaining: count, delayMs, match: spec.match, status: spec.status, error: spec.error }
    this.#queue.push(fault)
    return fault
  }

  /** Consumes one use of the first pending fault that applies to `endpoint`. */
  take(endpoint: UpstreamEndpoint): PendingFault | undefined {
    const index = this.#queue.findIndex((f) => f.match === undefined || f.match === endpoint)
    const fault = this.#queue[index]
    if (!fault) return undefined
    fault.remaining -= 1
    if (fault.remaining <= 0) this.#queue.splice(index, 1)
    return fault
  }

  pending(): readonly PendingFault[] {
    return this.#queue.map((f) => {
      const copy: Record<string, unknown> = { kind: f.kind, remaining: f.remaining, delayMs: f.delayMs, match: f.match }
      if (f.status !== undefined) copy.status = f.status
      if (f.error !== undefined) copy.error = { ...f.error }
      return copy as unknown as PendingFault
    })
  }

  clear(): void {
    this.#queue = []
  }
}

/** Resolves after `ms`, or as soon as `signal` aborts; never leaves a timer behind. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve()
    const done = (): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}
