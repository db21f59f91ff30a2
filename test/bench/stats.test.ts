import { describe, expect, it } from 'vitest'
import { compareMedians, signedMs, times } from '../../bench/lib/stats'

describe('the bench\'s comparison of two medians (row 5: 10 accounts against one)', () => {
  it('gives both medians, their ratio and the time added', () => {
    // The last full run's popup: 76 against 72 ms, one 4 ms paint step.
    const out = compareMedians([80, 76, 72, 76, 76], [72, 68, 72, 76, 72])
    expect(out).toEqual({ a: 76, b: 72, ratio: 76 / 72, added: 4 })
    expect(times(out.ratio)).toBe('1.06×')
    expect(signedMs(out.added)).toBe('+4.00 ms')
  })

  it('shows time saved as a negative difference', () => {
    const out = compareMedians([60.1, 60.3, 60.2], [61.5, 61.4, 61.6])
    expect(out.added).toBeCloseTo(-1.3, 6)
    expect(signedMs(out.added)).toBe('−1.30 ms')
    expect(times(out.ratio)).toBe('0.98×')
  })

  it('says n/a rather than NaN× or Infinity× when a sample is empty or a median is 0', () => {
    const empty = compareMedians([], [72])
    expect(empty.a).toBeNaN()
    expect(times(empty.ratio)).toBe('n/a')
    expect(times(compareMedians([4], [0]).ratio)).toBe('n/a')
  })
})
