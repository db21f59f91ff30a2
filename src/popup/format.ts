/** Only http(s) URLs from the server end up in `src` or `href` (never `javascript:` and co.). */
export function safeUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined
  } catch {
    return undefined
  }
}

const ACCOUNT_TYPES: Record<string, string> = {
  BUSINESS: 'Business',
  MEDIA_CREATOR: 'Creator',
  CREATOR: 'Creator',
  PERSONAL: 'Personal',
}

/**
 * An account type in words, whatever its case: Instagram sends `BUSINESS` / `MEDIA_CREATOR`, its
 * docs write `Business` / `Media_Creator` (INSTAGRAM-TODAY.md §4). Unknown types are shown as
 * words too (`SOME_TYPE` → `Some type`).
 */
export function accountTypeLabel(type: string | undefined): string | undefined {
  if (type === undefined) return undefined
  const key = type.trim().toUpperCase()
  if (Object.hasOwn(ACCOUNT_TYPES, key)) return ACCOUNT_TYPES[key]
  const words = type.replace(/_+/g, ' ').trim().toLowerCase()
  return words === '' ? undefined : words.charAt(0).toUpperCase() + words.slice(1)
}

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 })
export const count = (n: number | undefined): string => (n === undefined ? '—' : compact.format(n))
