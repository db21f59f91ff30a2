/** What the user reads about an error and can do next: the shape errors.ts and the popup share. */

/** What the user can do next; the first one is the primary button. */
export type NextStep = 'retry' | 'reconnect' | 'options'

export interface UserMessage {
  /** What happened, as a heading. */
  title: string
  /** Why, and what to do. Text in `backticks` is shown as code. */
  detail: string
  next: NextStep[]
  /** A value the user has to copy somewhere else (the redirect URL). */
  copy?: string
}
