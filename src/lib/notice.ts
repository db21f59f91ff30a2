import type { NextStep, UserMessage } from './errors'

const NEXT_STEPS: readonly string[] = ['retry', 'reconnect', 'options'] satisfies NextStep[]

/** Text a person can read: a string that is not empty or blank (an empty `<h1>` is no heading). */
const isReadable = (value: unknown): value is string => typeof value === 'string' && value.trim() !== ''

/**
 * A stored user message (errors.ts `UserMessage`) that every view can render: a title and a
 * detail with something to read, known next steps, an optional string to copy. Storage is
 * outside text — written by an older version, or damaged — so anything else is treated as absent.
 */
export function isUserMessage(value: unknown): value is UserMessage {
  if (typeof value !== 'object' || value === null) return false
  const { title, detail, next, copy } = value as Record<string, unknown>
  return (
    isReadable(title) &&
    isReadable(detail) &&
    Array.isArray(next) &&
    next.length > 0 &&
    next.every((step) => typeof step === 'string' && NEXT_STEPS.includes(step)) &&
    (copy === undefined || typeof copy === 'string')
  )
}
