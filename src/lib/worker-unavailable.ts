import type { UserMessage } from './user-message'

/**
 * The one message the popup words itself: when the worker does not answer, there is nobody to
 * look the error up in the table (errors.ts, which uses this same entry).
 */
export const WORKER_UNAVAILABLE: UserMessage = {
  title: 'The extension is restarting',
  detail: 'Its background worker did not answer. Try again in a moment.',
  next: ['retry'],
}
