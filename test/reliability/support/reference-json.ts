/**
 * A reference for `parseJsonKeepingBigInts`: a strict RFC 8259 recursive-descent parser, written
 * independently of the scanner under test. Integer literals that are not safe integers become
 * their exact decimal strings; everything else is what JSON.parse gives (last duplicate key wins,
 * keys such as `__proto__` are own properties). Throws SyntaxError on anything that is not JSON.
 */
export function referenceParse(text: string): unknown {
  let i = 0
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at ${i}`)
  }
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++
  }
  const literal = (word: string, value: unknown) => {
    if (text.startsWith(word, i)) {
      i += word.length
      return value
    }
    return fail('bad literal')
  }

  function string(): string {
    i++ // opening quote
    let out = ''
    for (;;) {
      if (i >= text.length) fail('unterminated string')
      const ch = text[i]!
      const code = ch.charCodeAt(0)
      if (ch === '"') {
        i++
        return out
      }
      if (code < 0x20) fail('control character in string')
      if (ch !== '\\') {
        out += ch
        i++
        continue
      }
      const esc = text[i + 1]
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }
      if (esc !== undefined && esc in simple) {
        out += simple[esc]
        i += 2
      } else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16))
        i += 6
      } else {
        fail('bad escape')
      }
    }
  }

  function number(): number | string {
    const match = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i))
    if (!match) return fail('bad number')
    i += match[0].length
    const value = Number(match[0])
    const isInteger = match[1] === undefined && match[2] === undefined
    return isInteger && !Number.isSafeInteger(value) ? match[0] : value
  }

  function value(): unknown {
    ws()
    const ch = text[i]
    let result: unknown
    if (ch === '{') {
      i++
      const obj: Record<string, unknown> = {}
      ws()
      if (text[i] === '}') {
        i++
      } else {
        for (;;) {
          ws()
          if (text[i] !== '"') fail('expected a key')
          const key = string()
          ws()
          if (text[i] !== ':') fail('expected :')
          i++
          Object.defineProperty(obj, key, { value: value(), enumerable: true, writable: true, configurable: true })
          ws()
          if (text[i] === ',') {
            i++
            continue
          }
          if (text[i] === '}') {
            i++
            break
          }
          fail('expected , or }')
        }
      }
      result = obj
    } else if (ch === '[') {
      i++
      const arr: unknown[] = []
      ws()
      if (text[i] === ']') {
        i++
      } else {
        for (;;) {
          arr.push(value())
          ws()
          if (text[i] === ',') {
            i++
            continue
          }
          if (text[i] === ']') {
            i++
            break
          }
          fail('expected , or ]')
        }
      }
      result = arr
    } else if (ch === '"') {
      result = string()
    } else if (ch === 't') {
      result = literal('true', true)
    } else if (ch === 'f') {
      result = literal('false', false)
    } else if (ch === 'n') {
      result = literal('null', null)
    } else {
      result = number()
    }
    ws()
    return result
  }

  const result = value()
  if (i !== text.length) fail('trailing characters')
  return result
}

/** Deep equality with Object.is for leaves (so -0 is not 0) and own keys in any order. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}
