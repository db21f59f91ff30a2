/**
 * The browser's own i18n (`_locales/<lang>/messages.json`, in `public/`), through one typed
 * function. No library: `t` is a few bytes in the popup, and the message ids are checked by the
 * compiler against the English file, the default locale (`default_locale` in manifest.json).
 * Every locale has the same ids and placeholders (test/i18n/locales.test.ts).
 */
import type english from '../../public/_locales/en/messages.json'

/** An id in `_locales/en/messages.json`. */
export type MessageId = keyof typeof english

interface I18nApi {
  getMessage(id: string, substitutions?: string[]): string
  getUILanguage(): string
}

const api = (): I18nApi | undefined => {
  const scope = globalThis as unknown as { browser?: { i18n?: I18nApi }; chrome?: { i18n?: I18nApi } }
  return scope.browser?.i18n ?? scope.chrome?.i18n
}

/**
 * The message `id` in the browser's language, with its `$PLACEHOLDERS$` filled in order
 * (`i18n.getMessage`). Falls back to the id itself, never to an empty string.
 */
export function t(id: MessageId, ...substitutions: (string | number)[]): string {
  return api()?.getMessage(id, substitutions.map(String)) || id
}

/** The browser's UI language (`pt-BR`, `en-US`), for `Intl` and `<html lang>`. */
export const uiLanguage = (): string => api()?.getUILanguage() ?? 'en'

/**
 * `base_one` when `Intl.PluralRules` puts `n` in the "one" category of the UI language, else
 * `base_other` (Spanish and Portuguese "many" read as "other"; Indonesian has only "other").
 */
export function plural<B extends string>(base: B, n: number): `${B}_one` | `${B}_other` {
  return new Intl.PluralRules(uiLanguage()).select(n) === 'one' ? `${base}_one` : `${base}_other`
}
