/**
 * Issue 16: white text on the primary buttons' Instagram gradient. axe-core reports text on a
 * gradient as "needs review", never as a pass or a violation, so the gradient's stops are checked
 * here against WCAG 2.2's contrast ratio (1.4.3, 4.5:1 for normal text). Between two stops the
 * colour is a mix of them, whose contrast lies between theirs.
 */
import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'

/** WCAG relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}

const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}

it('the primary buttons’ gradient keeps white text at 4.5:1 or more at every stop', () => {
  const css = readFileSync('src/ui/base.css', 'utf8')
  const gradient = /--brand-button:\s*([^;]+);/.exec(css)?.[1] ?? ''
  const stops = gradient.match(/#[0-9a-f]{6}/gi) ?? []
  expect(stops.length).toBeGreaterThanOrEqual(2)
  for (const stop of stops) expect(contrast('#ffffff', stop), stop).toBeGreaterThanOrEqual(4.5)
  expect(/\.btn-primary\s*\{[^}]*background:\s*var\(--brand-button\)/.test(css)).toBe(true)
  // The known values: the formula itself.
  expect(contrast('#ffffff', '#000000')).toBeCloseTo(21, 5)
  expect(contrast('#ffffff', '#767676')).toBeCloseTo(4.54, 2)
})
