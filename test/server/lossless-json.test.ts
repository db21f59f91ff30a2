import { describe, expect, it } from 'vitest'
import { idToString, parseJsonKeepingBigInts, quoteUnsafeIntegers } from '../../server/lossless-json'

describe('parseJsonKeepingBigInts', () => {
  it('keeps an odd id above 2^53 exact, where JSON.parse rounds it', () => {
    const text = '{"access_token":"IGQ","user_id":17841405793187219}'
    expect((JSON.parse(text) as { user_id: number }).user_id).toBe(17841405793187220)
    expect(parseJsonKeepingBigInts(text)).toEqual({ access_token: 'IGQ', user_id: '17841405793187219' })
  })

  it('keeps big ids inside arrays and nested objects, and negative ones', () => {
    expect(parseJsonKeepingBigInts('{"data":[{"user_id":99999999999999999999,"n":-12345678901234567}]}')).toEqual({
      data: [{ user_id: '99999999999999999999', n: '-12345678901234567' }],
    })
  })

  it('leaves safe integers, fractions, exponents and numbers inside strings alone', () => {
    expect(parseJsonKeepingBigInts('{"a":9007199254740991,"b":1.5,"c":1e21,"d":"17841405793187219","e":"x\\"17841405793187219"}')).toEqual({
      a: 9007199254740991,
      b: 1.5,
      c: 1e21,
      d: '17841405793187219',
      e: 'x"17841405793187219',
    })
  })

  it('returns the text untouched when nothing needs quoting', () => {
    const text = '{"a":[1,2,3],"b":"\\\\"}'
    expect(quoteUnsafeIntegers(text)).toBe(text)
  })

  it('still rejects invalid JSON', () => {
    expect(() => parseJsonKeepingBigInts('<html>oops</html>')).toThrow(SyntaxError)
    expect(() => parseJsonKeepingBigInts('{"a":12345678901234567')).toThrow(SyntaxError)
  })
})

describe('idToString', () => {
  it('accepts strings and safe integers only', () => {
    expect(idToString('17841405793187219')).toBe('17841405793187219')
    expect(idToString(9876543210)).toBe('9876543210')
    expect(idToString(1.5)).toBeUndefined()
    expect(idToString(2 ** 60)).toBeUndefined()
    expect(idToString('')).toBeUndefined()
    expect(idToString(null)).toBeUndefined()
  })
})
