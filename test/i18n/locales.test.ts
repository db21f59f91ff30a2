/**
 * Issue 16: every locale has every message of the default one (English), with the same
 * placeholders, and the manifest's `__MSG_…__` names exist.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { getMessage, localeNames, readMessages } from '../support/i18n'

const LOCALES = ['en', 'es', 'id', 'pt_BR', 'tr']
const english = readMessages('en')

/** The `$NAME$` placeholders a message uses, lower-cased and sorted. */
const used = (text: string) => [...new Set([...text.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1]!.toLowerCase()))].sort()

describe('_locales', () => {
  it('has English (the default), Spanish, Indonesian, Brazilian Portuguese and Turkish, and nothing else', () => {
    expect(localeNames()).toEqual(LOCALES)
    const manifest = JSON.parse(readFileSync('manifest.json', 'utf8')) as Record<string, unknown>
    expect(manifest.default_locale).toBe('en')
  })

  for (const locale of LOCALES) {
    describe(locale, () => {
      const messages = readMessages(locale)

      it('has every message id of en and no other', () => {
        const missing = Object.keys(english).filter((id) => !(id in messages))
        const extra = Object.keys(messages).filter((id) => !(id in english))
        expect({ missing, extra }).toEqual({ missing: [], extra: [] })
      })

      it('uses the same placeholders as en, each defined, with the same contents', () => {
        for (const [id, entry] of Object.entries(messages)) {
          const reference = english[id]
          if (reference === undefined) continue
          expect(used(entry.message), `${locale}/${id}: placeholders in the text`).toEqual(used(reference.message))
          const defined = Object.fromEntries(Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]))
          const expected = Object.fromEntries(Object.entries(reference.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]))
          expect(defined, `${locale}/${id}: placeholder definitions`).toEqual(expected)
          for (const name of used(entry.message)) expect(defined, `${locale}/${id}: $${name}$ is not defined`).toHaveProperty(name)
        }
      })

      it('has no empty message and keeps the `code` spans of en', () => {
        for (const [id, entry] of Object.entries(messages)) {
          expect(entry.message.trim(), `${locale}/${id}`).not.toBe('')
          const codes = (text: string) => [...text.matchAll(/`([^`]*)`/g)].map((m) => m[1]).sort()
          expect(codes(entry.message), `${locale}/${id}: code spans`).toEqual(codes(english[id]?.message ?? ''))
        }
      })
    })
  }

  it('names in the manifest exist (name, description, action title)', () => {
    const text = readFileSync('manifest.json', 'utf8')
    const ids = [...text.matchAll(/__MSG_(\w+)__/g)].map((m) => m[1]!)
    expect(ids).toEqual(expect.arrayContaining(['ext_name', 'ext_description', 'action_title']))
    for (const id of ids) expect(english, id).toHaveProperty(id)
  })

  it('fills placeholders the way the browsers do', () => {
    expect(getMessage(readMessages('pt_BR'), 'server_saved', ['http://127.0.0.1:8787'])).toBe('Salvo. A extensão agora usa http://127.0.0.1:8787.')
    expect(getMessage(english, 'media_caption', ['Photo', 'costs $5 ($1)'])).toBe('Photo: costs $5 ($1)')
  })
})
