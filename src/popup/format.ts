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

export const accountTypeLabel = (type: string | undefined): string | undefined =>
  type === undefined
    ? undefined
    : Object.hasOwn(ACCOUNT_TYPES, type)
      ? ACCOUNT_TYPES[type]
      : type.charAt(0) + type.slice(1).toLowerCase()

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 })
export const count = (n: number | undefined): string => (n === undefined ? '—' : compact.format(n))
