/**
 * `i18n.getMessage` / `getUILanguage` as the browsers implement them, over the real
 * `public/_locales/<locale>/messages.json`, for unit tests (the code under test calls
 * `chrome.i18n` through src/lib/i18n.ts). vitest.config.ts installs English for every test file.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'

export const LOCALES_DIR = resolve('public/_locales')

export interface MessageEntry {
  message: string
  description?: string
  placeholders?: Record<string, { content: string; example?: string }>
}

export type Messages = Record<string, MessageEntry>

/** The locale folders: `en`, `es`, `pt_BR`, … */
export const localeNames = (): string[] => readdirSync(LOCALES_DIR).sort()

export const readMessages = (locale: string): Messages => JSON.parse(readFileSync(resolve(LOCALES_DIR, locale, 'messages.json'), 'utf8')) as Messages

/**
 * Chrome's and Firefox's substitution rules: `$name$` (any case) becomes its placeholder's
 * `content`, in which `$1`…`$9` are the substitutions; `$$` is a dollar sign. An unknown id
 * gives the empty string.
 */
export function getMessage(messages: Messages, id: string, substitutions: string | string[] = []): string {
  const entry = messages[id]
  if (entry === undefined) return ''
  const subs = Array.isArray(substitutions) ? substitutions : [substitutions]
  const placeholders = Object.fromEntries(Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]))
  const fill = (text: string) => text.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '')
  return entry.message.replace(/\$\$|\$([A-Za-z0-9_@]+)\$/g, (match, name?: string) => {
    if (name === undefined) return '$'
    const content = placeholders[name.toLowerCase()]
    return content === undefined ? match : fill(content)
  })
}

/** Sets `globalThis.chrome.i18n` to the given locale (`en`, `pt_BR`, …). */
export function installI18n(locale = 'en'): void {
  const messages = readMessages(locale)
  const scope = globalThis as unknown as { chrome?: Record<string, unknown> }
  scope.chrome = {
    ...scope.chrome,
    i18n: {
      getMessage: (id: string, subs?: string | string[]) => getMessage(messages, id, subs),
      getUILanguage: () => locale.replace('_', '-'),
    },
  }
}

/** A message as the extension shows it in `lang` (`en`, `pt-BR`), for tests that find things by their words. */
export function messageIn(lang: string, id: string, ...substitutions: (string | number)[]): string {
  const text = getMessage(readMessages(lang.replace('-', '_')), id, substitutions.map(String))
  if (text === '') throw new Error(`No message ${id} in ${lang}`)
  return text
}
