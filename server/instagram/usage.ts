/**
 * Instagram's usage headers (SPEC "What Instagram really sends"; INSTAGRAM-TODAY.md §8; Meta's
 * rate-limiting page, https://developers.facebook.com/docs/graph-api/overview/rate-limiting/):
 * - `X-App-Usage: {"call_count":28,"total_time":25,"total_cputime":25}` (Platform limits);
 * - `X-Business-Use-Case-Usage: {"<id>":[{"type":"instagram","call_count":100,"total_cputime":12,
 *   "total_time":9,"estimated_time_to_regain_access":7}]}` (Business Use Case limits).
 * Values are percentages; throttling starts at 100. `estimated_time_to_regain_access` is in
 * minutes. A header that is not this JSON is ignored, never a failure.
 */

/** The usage headers of one answer, as sent (header names are case-insensitive). */
export interface UsageHeaders {
  'x-app-usage'?: string | null
  'x-business-use-case-usage'?: string | null
}

/** The headers ./node-upstream and ./fetch-upstream keep of an answer (lower-case). */
export const USAGE_HEADERS = Object.freeze(['x-app-usage', 'x-business-use-case-usage'] as const)

/** What the headers of one answer say. */
export interface Usage {
  /** The highest percentage among every entry's `call_count`, `total_cputime` and `total_time`. */
  highest: number
  /** The header that carried `highest`. */
  header: 'X-App-Usage' | 'X-Business-Use-Case-Usage'
  /** The largest `estimated_time_to_regain_access`, converted to seconds; absent when none is above 0. */
  regainSeconds?: number
}

/** Percentages at or above this throttle (Meta: "throttling starts when any value reaches 100"). */
export const THROTTLED_AT = 100
/** Percentages at or above this log a warning (SPEC "Server HTTP API"). */
export const WARN_AT = 80

const PERCENT_FIELDS = ['call_count', 'total_cputime', 'total_time'] as const

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0

function parse(text: string | null | undefined): unknown {
  if (typeof text !== 'string' || text.length > 16_384) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

interface Reading {
  highest: number
  regainMinutes: number
}

function readEntry(entry: unknown, into: Reading): void {
  if (!isObject(entry)) return
  for (const field of PERCENT_FIELDS) {
    const value = entry[field]
    if (isCount(value) && value > into.highest) into.highest = value
  }
  const regain = entry.estimated_time_to_regain_access
  if (isCount(regain) && regain > into.regainMinutes) into.regainMinutes = regain
}

/**
 * Reads both usage headers of one answer. Returns undefined when neither is present and
 * well-formed. Entries or fields of the wrong type are skipped; the rest still counts.
 */
export function readUsage(headers: UsageHeaders): Usage | undefined {
  const app: Reading = { highest: -1, regainMinutes: 0 }
  readEntry(parse(headers['x-app-usage']), app)

  const business: Reading = { highest: -1, regainMinutes: 0 }
  const buc = parse(headers['x-business-use-case-usage'])
  if (isObject(buc)) {
    for (const entries of Object.values(buc)) {
      if (Array.isArray(entries)) for (const entry of entries) readEntry(entry, business)
    }
  }

  if (app.highest < 0 && business.highest < 0 && app.regainMinutes === 0 && business.regainMinutes === 0) return undefined
  const fromBusiness = business.highest >= app.highest
  const usage: Usage = {
    highest: Math.max(app.highest, business.highest, 0),
    header: fromBusiness ? 'X-Business-Use-Case-Usage' : 'X-App-Usage',
  }
  const regainMinutes = Math.max(app.regainMinutes, business.regainMinutes)
  if (regainMinutes > 0) usage.regainSeconds = Math.ceil(regainMinutes * 60)
  return usage
}

/**
 * The warning line for busy answers (SPEC "Server HTTP API"): an answer at 80 % or more logs one
 * line naming the value, unless the answer before it was busy too and the last line is less than
 * a minute old, so a busy server warns once a minute, not once a request. Answers without usage
 * headers leave the state as it is.
 */
export function usageWarnings(log: (line: string) => void, now: () => number = Date.now) {
  let previousBusy = false
  let lastLineAt = Number.NEGATIVE_INFINITY
  return (usage: Usage | undefined): void => {
    if (usage === undefined) return
    const busy = usage.highest >= WARN_AT
    if (busy && !(previousBusy && now() - lastLineAt < 60_000)) {
      lastLineAt = now()
      log(`warning: Instagram usage at ${formatPercent(usage.highest)}% (${usage.header}); Instagram refuses calls at ${THROTTLED_AT}%`)
    }
    previousBusy = busy
  }
}

function formatPercent(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1)
}
