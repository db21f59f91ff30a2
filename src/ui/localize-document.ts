import { t, uiLanguage, type MessageId } from '../lib/i18n'

/**
 * Gives a page the browser's language: `<html lang>` (screen readers pick their voice from it,
 * WCAG 3.1.1) and its `<title>` from `_locales`. The HTML files say `en`, the default locale.
 */
export function localizeDocument(title: MessageId): void {
  document.documentElement.lang = uiLanguage()
  document.title = t(title)
}
