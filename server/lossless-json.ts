/**
 * JSON.parse that keeps integers above Number.MAX_SAFE_INTEGER exact, as decimal strings.
 *
 * Instagram sends `user_id` as a bare JSON number such as 17841405793187219, which plain
 * JSON.parse silently rounds to 17841405793187220. Node 20 has no `context.source` in the
 * reviver, so unsafe integer literals are quoted in the text before parsing: the scanner walks
 * the text once, skipping string literals (with their escapes), and wraps any integer literal
 * whose value is not a safe integer in quotes. Numbers with a fraction or exponent are left as
 * they are (they are not ids). Throws SyntaxError on invalid JSON, like JSON.parse.
 */
export function parseJsonKeepingBigInts(text: string): unknown {
  const quoted = quoteUnsafeIntegers(text)
  // Quoting can mend invalid JSON (`{12345678901234567890:1}` becomes a valid object), so
  // when anything was quoted the original must parse too.
  if (quoted !== text) JSON.parse(text)
  return JSON.parse(quoted)
}

const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER).length // 16

export function quoteUnsafeIntegers(text: string): string {
  let out = ''
  let copiedUpTo = 0
  let i = 0
  const n = text.length
  while (i < n) {
    const ch = text.charCodeAt(i)
    if (ch === 0x22 /* " */) {
      i = skipString(text, i)
      continue
    }
    if (ch === 0x2d /* - */ || (ch >= 0x30 && ch <= 0x39)) {
      const start = i
      i++
      while (i < n && isNumberChar(text.charCodeAt(i))) i++
      const literal = text.slice(start, i)
      if (isUnsafeInteger(literal)) {
        out += text.slice(copiedUpTo, start) + '"' + literal + '"'
        copiedUpTo = i
      }
      continue
    }
    i++
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo)
}

function skipString(text: string, openQuote: number): number {
  let i = openQuote + 1
  while (i < text.length) {
    const ch = text.charCodeAt(i)
    if (ch === 0x5c /* \ */) i += 2
    else if (ch === 0x22) return i + 1
    else i++
  }
  return i // unterminated: JSON.parse reports it
}

function isNumberChar(ch: number): boolean {
  // digits, '.', 'e', 'E', '+', '-'
  return (ch >= 0x30 && ch <= 0x39) || ch === 0x2e || ch === 0x65 || ch === 0x45 || ch === 0x2b || ch === 0x2d
}

function isUnsafeInteger(literal: string): boolean {
  if (!/^-?(0|[1-9]\d*)$/.test(literal)) return false
  const digits = literal.startsWith('-') ? literal.length - 1 : literal.length
  if (digits < MAX_SAFE_DIGITS) return false
  return !Number.isSafeInteger(Number(literal))
}

/** An id as an exact decimal string, whether Instagram sent it as a string or a safe number. */
export function idToString(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
  return undefined
}
