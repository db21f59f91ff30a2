import { t, uiLanguage, type MessageId } from '../lib/i18n'

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

const ACCOUNT_TYPES: Record<string, MessageId> = {
  BUSINESS: 'account_business',
  MEDIA_CREATOR: 'account_creator',
  CREATOR: 'account_creator',
  PERSONAL: 'account_personal',
}

/**
 * An account type in words, the way Instagram words it in the UI language ("Business account",
 * "Conta comercial"), whatever its case: Instagram sends `BUSINESS` / `MEDIA_CREATOR`, its docs
 * write `Business` / `Media_Creator` (INSTAGRAM-TODAY.md §4). Unknown types are shown as words
 * too (`SOME_TYPE` → `Some type account`).
 */
export function accountTypeLabel(type: string | undefined): string | undefined {
  if (type === undefined) return undefined
  const key = type.trim().toUpperCase()
  if (Object.hasOwn(ACCOUNT_TYPES, key)) return t(ACCOUNT_TYPES[key]!)
  const words = type.replace(/_+/g, ' ').trim().toLowerCase()
  return words === '' ? undefined : t('account_other', words.charAt(0).toUpperCase() + words.slice(1))
}

/** A count in the UI language, compact from the thousands (`1.3K`, `1,3 mil`, `1,3 B`); a dash when unknown. */
export const count = (n: number | undefined): string =>
  n === undefined ? '—' : new Intl.NumberFormat(uiLanguage(), { notation: 'compact', maximumFractionDigits: 1 }).format(n)
