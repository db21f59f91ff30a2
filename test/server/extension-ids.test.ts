import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CHROME_EXTENSION_ID, CHROME_REDIRECT_URI, FIREFOX_EXTENSION_ID, FIREFOX_REDIRECT_URI } from '../../server/extension-ids'

describe('stable extension ids', () => {
  it('derives the Chrome id from the manifest key (sha256 of the DER key, a-p)', () => {
    const manifest = JSON.parse(readFileSync('manifest.json', 'utf8')) as { key: string }
    const hex = createHash('sha256').update(Buffer.from(manifest.key, 'base64')).digest('hex').slice(0, 32)
    const id = [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('')
    expect(id).toBe(CHROME_EXTENSION_ID)
    expect(CHROME_REDIRECT_URI).toBe(`https://${id}.chromiumapp.org/`)
  })

  it('derives the Firefox redirect host from the sha1 of the gecko id', () => {
    const hash = createHash('sha1').update(FIREFOX_EXTENSION_ID).digest('hex')
    expect(FIREFOX_REDIRECT_URI).toBe(`https://${hash}.extensions.allizom.org/`)
  })
})
