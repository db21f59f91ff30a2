/** The q-quantile (0..1) of `values` by nearest rank; NaN for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank]!
}

export const median = (values: readonly number[]): number => quantile(values, 0.5)
export const p99 = (values: readonly number[]): number => quantile(values, 0.99)

/** `1.234` → `1.23 ms`; small values keep one more digit. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a'
  const digits = Math.abs(value) < 10 ? 2 : Math.abs(value) < 100 ? 1 : 0
  return `${value.toFixed(digits)} ms`
}

/** Two samples' medians compared: `ratio` is `a / b`, `added` is `a − b` (in the samples' unit); NaN where a sample is empty. */
export interface MedianComparison {
  a: number
  b: number
  ratio: number
  added: number
}

/** The medians of `a` and `b`, their ratio and their difference (e.g. a page opened with 10 accounts stored against one). */
export function compareMedians(a: readonly number[], b: readonly number[]): MedianComparison {
  const [ma, mb] = [median(a), median(b)]
  return { a: ma, b: mb, ratio: ma / mb, added: ma - mb }
}

/** `1.0625` → `1.06×`. */
export function times(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a'
}

export function signedMs(value: number): string {
  return `${value >= 0 ? '+' : '−'}${ms(Math.abs(value))}`
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(2)} KB`
}
