import type { Context } from 'hono'
import { ApiError } from '../errors'

/** Bodies above this are refused with 413 before they are read in full. */
export const MAX_BODY_BYTES = 16 * 1024

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
