import { describe, expect, it } from 'vitest'
import { accountTypeLabel, count, safeUrl } from '../../src/popup/format'

describe('safeUrl', () => {
  it('keeps http(s) URLs from the server', () => {
    expect(safeUrl('https://scontent.cdninstagram.com/a.jpg?x=1')).toBe('https://scontent.cdninstagram.com/a.jpg?x=1')
    expect(safeUrl('http://127.0.0.1:9000/__emulator/pictures/a.svg')).toBe('http://127.0.0.1:9000/__emulator/pictures/a.svg')
  })

  it('drops anything that could run script or is not a URL', () => {
    for (const value of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>x</script>', 'vbscript:x', 'not a url', '', undefined]) {
      expect(safeUrl(value), String(value)).toBeUndefined()
    }
  })
})

describe('labels', () => {
  it('names account types and shortens counts', () => {
    expect(accountTypeLabel('BUSINESS')).toBe('Business')
    expect(accountTypeLabel('MEDIA_CREATOR')).toBe('Creator')
    expect(accountTypeLabel('SOMETHING')).toBe('Something')
    // As Meta's docs write them: the same words whatever the case.
    expect(accountTypeLabel('Media_Creator')).toBe('Creator')
    expect(accountTypeLabel('Business')).toBe('Business')
    expect(accountTypeLabel('media_creator')).toBe('Creator')
    expect(accountTypeLabel('NEW_KIND')).toBe('New kind')
    expect(accountTypeLabel(undefined)).toBeUndefined()
    expect(count(1284)).toBe('1.3K')
    expect(count(6)).toBe('6')
    expect(count(undefined)).toBe('—')
  })
})

describe('accountTypeLabel with outside text (issue 14)', () => {
  it('reads its table by own properties only', () => {
    // Unknown types are shown as words (issue 12): never a prototype member's value.
    expect(accountTypeLabel('constructor')).toBe('Constructor')
    expect(accountTypeLabel('__proto__')).toBe('Proto')
    expect(accountTypeLabel('toString')).toBe('Tostring')
    for (const name of Object.getOwnPropertyNames(Object.prototype)) expect(typeof accountTypeLabel(name)).toBe('string')
  })
})
