/**
 * Graph API versions and the day each stops being available (INSTAGRAM-TODAY.md §6, from
 * https://developers.facebook.com/docs/graph-api/changelog/versions/). `null`: no end date
 * announced yet. graph.instagram.com uses the same version numbers.
 */
export const GRAPH_VERSION_ENDS: Readonly<Record<string, string | null>> = Object.freeze({
  'v27.0': null,
  'v26.0': null,
  'v25.0': '2028-07-29',
  'v24.0': '2028-02-18',
  'v23.0': '2027-10-08',
  'v22.0': '2027-05-20',
  'v21.0': '2027-01-21',
  'v20.0': '2026-09-24',
})

/** `IG_GRAPH_VERSION`'s default: the version Meta's Instagram Login samples use. */
export const DEFAULT_GRAPH_VERSION = 'v25.0'

/** The warning starts this many days before a version's end. */
export const VERSION_WARNING_DAYS = 180

const DAY_MS = 86_400_000
/** The newest version in the table, suggested by the warnings. */
const NEWEST = Object.keys(GRAPH_VERSION_ENDS)[0]!
/** The oldest version in the table: every version before it had ended when the table was written. */
const OLDEST_LISTED = 20

/**
 * The start-up warning for `version` at `now` (epoch ms): one line when it ends within 180 days
 * or has ended, else undefined. A version older than the table has ended; a newer one unknown
 * here gets no warning.
 */
export function graphVersionWarning(version: string, now: number): string | undefined {
  const end = GRAPH_VERSION_ENDS[version]
  if (end === undefined) {
    const major = Number(/^v(\d+)\./.exec(version)?.[1])
    if (major < OLDEST_LISTED) {
      return `warning: IG_GRAPH_VERSION ${version} is no longer available from Instagram; set IG_GRAPH_VERSION to a current version such as ${NEWEST}.`
    }
    return undefined
  }
  if (end === null) return undefined
  const endMs = Date.parse(`${end}T00:00:00Z`)
  if (now >= endMs) {
    return `warning: IG_GRAPH_VERSION ${version} stopped being available on ${end}; Instagram may refuse it or answer as a later version. Set IG_GRAPH_VERSION to a current version such as ${NEWEST}.`
  }
  const days = Math.ceil((endMs - now) / DAY_MS)
  if (days <= VERSION_WARNING_DAYS) {
    return `warning: IG_GRAPH_VERSION ${version} stops being available on ${end} (in ${days} day${days === 1 ? '' : 's'}); set IG_GRAPH_VERSION to a later version such as ${NEWEST} before then.`
  }
  return undefined
}
