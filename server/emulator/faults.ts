/**
 * The fault hook: the next N upstream calls (token and Graph endpoints) fail in a chosen way,
 * so tests and demos can reach every error path. Admin, consent and picture routes are never
 * affected.
 */
export const FAULT_KINDS = Object.freeze(['http500', 'no-answer', 'non-json', 'delay'] as const)
export type FaultKind = (typeof FAULT_KINDS)[number]

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
}

export interface PendingFault {
  readonly kind: FaultKind
  remaining: number
  readonly delayMs: number
  readonly match: UpstreamEndpoint | undefined
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
    const fault: PendingFault = { kind: spec.kind, remaining: count, delayMs, match: spec.match }
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
    return this.#queue.map((f) => ({ ...f }))
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
