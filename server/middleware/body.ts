import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { ApiError } from '../errors'

/** Bodies above this are refused with 413 before they are read in full. */
export const MAX_BODY_BYTES = 16 * 1024

const tooLarge = () => new ApiError('payload_too_large', `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB.`)

/**
 * 413 for bodies over MAX_BODY_BYTES. A declared Content-Length decides alone (the HTTP parser
 * never reads past it); only a chunked body is counted as it streams, by Hono's bodyLimit.
 * Why not bodyLimit for every request: it reads `c.req.raw.body`, which makes @hono/node-server
 * build a full Request with a body stream for each POST and read the JSON through it: about
 * 0.4 ms of CPU per `POST /token` on the benchmark machine (BENCHMARKS.md, row 1).
 */
export function limitBody(): MiddlewareHandler {
  const streaming = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw tooLarge()
    },
  })
  return async (c, next) => {
    const length = c.req.header('content-length')
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streaming(c, next)
    if (Number.parseInt(length, 10) > MAX_BODY_BYTES) throw tooLarge()
    await next()
  }
}

function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
}

/** The JSON object body of `POST /token` and `POST /refresh`. */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  if (mediaType(c) !== 'application/json') {
    throw new ApiError('unsupported_media_type', 'Send the request body as JSON with Content-Type: application/json.')
  }
  let body: unknown
  try {
    body = JSON.parse(await c.req.text())
  } catch {
    throw new ApiError('invalid_request', 'The request body is not valid JSON.')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('invalid_request', 'The request body must be a JSON object.')
  }
  return body as Record<string, unknown>
}

/** A form field of a Meta callback (`application/x-www-form-urlencoded` or multipart). */
export async function readFormField(c: Context, name: string): Promise<string> {
  const type = mediaType(c)
  if (type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data') {
    throw new ApiError('unsupported_media_type', 'Send the callback as a form (application/x-www-form-urlencoded or multipart/form-data).')
  }
  let form: Record<string, string | File | (string | File)[]>
  try {
    form = await c.req.parseBody({ all: true })
  } catch {
    throw new ApiError('invalid_request', 'The form body could not be read.')
  }
  const value = form[name]
  if (typeof value !== 'string' || value === '') {
    throw new ApiError('invalid_request', `The form field ${name} is missing, repeated or empty.`)
  }
  return value
}

/** A required, non-empty string field no longer than `maxLength`. */
export function requireString(body: Record<string, unknown>, name: string, maxLength: number): string {
  const value = body[name]
  if (value === undefined || value === null) throw new ApiError('invalid_request', `The field ${name} is missing.`)
  if (typeof value !== 'string') throw new ApiError('invalid_request', `The field ${name} must be a string.`)
  if (value.trim() === '') throw new ApiError('invalid_request', `The field ${name} is empty.`)
  if (value.length > maxLength) throw new ApiError('invalid_request', `The field ${name} is longer than ${maxLength} characters.`)
  return value
}
