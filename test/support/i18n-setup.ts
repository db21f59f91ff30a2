// vitest setup file: the extension's code reads its messages through chrome.i18n (src/lib/i18n.ts).
import { installI18n } from './i18n'

installI18n('en')
