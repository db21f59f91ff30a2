import { describe, expect, it } from 'vitest'
import { readUsage, usageWarnings } from '../../server/instagram/usage'

/** X-App-Usage and X-Business-Use-Case-Usage (INSTAGRAM-TODAY.md §8). */
describe('readUsage', () => {
  it('reads X-App-Usage', () => {
    expect(readUsage({ 'x-app-usage': '{"call_count":28,"total_time":25,"total_cputime":91}' })).toEqual({ highest: 91, header: 'X-App-Usage' })
  })

  it('reads X-Business-Use-Case-Usage: every entry of every business object, the largest regain estimate in seconds', () => {
    const header = JSON.stringify({
      '17841400000000001': [{ type: 'instagram', call_count: 100, total_cputime: 12, total_time: 9, estimated_time_to_regain_access: 7 }],
      '17841400000000002': [{ type: 'instagram', call_count: 5, total_cputime: 1, total_time: 1, estimated_time_to_regain_access: 12 }],
    })
    expect(readUsage({ 'x-business-use-case-usage': header })).toEqual({ highest: 100, header: 'X-Business-Use-Case-Usage', regainSeconds: 720 })
  })

  it('takes the highest of both headers', () => {
    expect(
      readUsage({ 'x-app-usage': '{"call_count":95}', 'x-business-use-case-usage': '{"1":[{"call_count":80,"estimated_time_to_regain_access":0}]}' }),
    ).toEqual({ highest: 95, header: 'X-App-Usage' })
  })

  it('ignores malformed headers, and the malformed parts of a good one, never failing', () => {
    const malformed = ['', 'not json', '[]', 'null', '42', '"x"', '{"call_count":"100"}', '{"call_count":-5}', '{"call_count":1e999}', '{'.repeat(20_000)]
    for (const value of malformed) {
      expect(readUsage({ 'x-app-usage': value }), value.slice(0, 20)).toBeUndefined()
      expect(readUsage({ 'x-business-use-case-usage': value }), value.slice(0, 20)).toBeUndefined()
    }
    expect(readUsage({ 'x-business-use-case-usage': '{"1":"x","2":[null,7,{"call_count":"9"}],"3":[{"total_time":40}]}' })).toEqual({
      highest: 40,
      header: 'X-Business-Use-Case-Usage',
    })
    expect(readUsage({ 'x-app-usage': 'garbage', 'x-business-use-case-usage': '{"1":[{"call_count":3}]}' })).toEqual({ highest: 3, header: 'X-Business-Use-Case-Usage' })
    expect(readUsage({})).toBeUndefined()
    expect(readUsage({ 'x-app-usage': null })).toBeUndefined()
  })
})

describe('usageWarnings', () => {
  it('warns at 80 or more, at most once a minute while busy, and again after a quiet answer', () => {
    const lines: string[] = []
    let now = 0
    const warn = usageWarnings((line) => lines.push(line), () => now)
    warn({ highest: 79, header: 'X-App-Usage' })
    expect(lines).toEqual([])
    warn({ highest: 80, header: 'X-App-Usage' })
    expect(lines).toEqual(['warning: Instagram usage at 80% (X-App-Usage); Instagram refuses calls at 100%'])
    now = 30_000
    warn({ highest: 92, header: 'X-Business-Use-Case-Usage' })
    warn(undefined)
    expect(lines).toHaveLength(1)
    now = 60_000
    warn({ highest: 93.5, header: 'X-Business-Use-Case-Usage' })
    expect(lines[1]).toBe('warning: Instagram usage at 93.5% (X-Business-Use-Case-Usage); Instagram refuses calls at 100%')
    now = 61_000
    warn({ highest: 10, header: 'X-App-Usage' })
    warn({ highest: 85, header: 'X-App-Usage' })
    expect(lines).toHaveLength(3)
  })
})
