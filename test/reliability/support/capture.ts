import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { LOG_LINE } from '../../support/log-lines'

/**
 * A capture of everything a suite saw the server say (log lines, response bodies) and every
 * secret it handed the server or the emulator issued (the client secret, authorization codes,
 * access tokens), so that one sweep at the end can show no secret ever came back out.
 *
 * The one place a token may appear is the `access_token` field of the `/token` or `/refresh`
 * answer that hands it out: record those with `{ handsOutToken: true }` and that field is
 * dropped before the body is kept. Any suite can use it; `RELIABILITY_OUT` makes `flush` write
 * the capture to disk so the long runner can sweep every file's secrets across every file's
 * output (a code from one suite must not show up in another's logs either).
 */

export type SecretKind = 'client_secret' | 'access_token' | 'code'

/**
 * One line per request (any method a fuzzer sends), one of the server's fixed messages, or an
 * upstream failure or usage warning (test/support/log-lines.ts); never a value.
 */
export const SERVER_LOG_LINE = new RegExp(`${LOG_LINE.source}|^(?:[A-Z-]+ \\/\\S* \\d{3} \\d+\\.\\dms|unexpected error: \\w+)$`)

/** Shorter values are too generic to search for (a fuzzer's `x` is no secret). */
const MIN_SECRET_LENGTH = 12

export interface Leak {
  kind: SecretKind
  /** The first characters only: the report must not leak it again. */
  preview: string
  source: string
}

interface Text {
  source: string
  text: string
}

export class SecretCapture {
  readonly secrets = new Map<string, SecretKind>()
  readonly texts: Text[] = []
  readonly logLines: Text[] = []

  secret(kind: SecretKind, value: string | undefined | null): void {
    if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) this.secrets.set(value, kind)
  }

  /** A server log line (checked for secrets and for its shape). */
  log(source: string, line: string): void {
    this.logLines.push({ source, text: line })
    this.texts.push({ source: `log ${source}`, text: line })
  }

  /** Output that is not a request log line (a start-up banner, stderr): secrets only. */
  output(source: string, text: string): void {
    this.texts.push({ source, text })
  }

  /** A response body. With `handsOutToken`, its own `access_token` field is the one allowed spot. */
  response(source: string, body: string, options: { handsOutToken?: boolean } = {}): void {
    let text = body
    if (options.handsOutToken) {
      try {
        const parsed = JSON.parse(body) as Record<string, unknown>
        if (typeof parsed.access_token === 'string') {
          this.secret('access_token', parsed.access_token)
          delete parsed.access_token
        }
        text = JSON.stringify(parsed)
      } catch {
        // not JSON: kept whole, so a token in it is a leak
      }
    }
    this.texts.push({ source: `response ${source}`, text })
  }

  /** Log lines that are not one of the server's known shapes (a forged line, a value, a stack). */
  malformedLogLines(): Text[] {
    return this.logLines.filter(({ text }) => !SERVER_LOG_LINE.test(text))
  }

  leaks(): Leak[] {
    return findLeaks(this.secrets, this.texts)
  }

  /** Writes the capture to `$RELIABILITY_OUT/<name>.capture.json` for the cross-file sweep. */
  flush(name: string): void {
    const dir = process.env.RELIABILITY_OUT
    if (!dir) return
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, `${name}.capture.json`), JSON.stringify({ secrets: [...this.secrets], texts: this.texts, logLines: this.logLines.length }))
  }
}

/** Every capture a run wrote, merged: each file's secrets against every file's output. */
export function sweepDirectory(dir: string): { secrets: number; texts: number; logLines: number; leaks: Leak[] } {
  const secrets = new Map<string, SecretKind>()
  const texts: Text[] = []
  let logLines = 0
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.capture.json'))) {
    const data = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { secrets: [string, SecretKind][]; texts: Text[]; logLines: number }
    for (const [value, kind] of data.secrets) secrets.set(value, kind)
    texts.push(...data.texts)
    logLines += data.logLines
  }
  return { secrets: secrets.size, texts: texts.length, logLines, leaks: findLeaks(secrets, texts) }
}

/**
 * Every occurrence of any secret in any text, in one linear pass: each position of each text is
 * looked up by its first MIN_SECRET_LENGTH characters, and only those hits are compared in full.
 */
function findLeaks(secrets: ReadonlyMap<string, SecretKind>, texts: readonly Text[]): Leak[] {
  const byPrefix = new Map<string, string[]>()
  for (const value of secrets.keys()) {
    const prefix = value.slice(0, MIN_SECRET_LENGTH)
    const list = byPrefix.get(prefix)
    if (list) list.push(value)
    else byPrefix.set(prefix, [value])
  }
  const leaks: Leak[] = []
  for (const { source, text } of texts) {
    for (let i = 0; i + MIN_SECRET_LENGTH <= text.length; i++) {
      const candidates = byPrefix.get(text.slice(i, i + MIN_SECRET_LENGTH))
      if (!candidates) continue
      for (const value of candidates) {
        if (text.startsWith(value, i)) leaks.push({ kind: secrets.get(value)!, preview: `${value.slice(0, 6)}…`, source })
      }
    }
  }
  return leaks
}
