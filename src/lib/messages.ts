import type { AppState } from './view'
import { fail, type Result } from './result'

/**
 * The one typed map of messages the popup and options page send to the worker. Every reply is
 * `Result<AppState>`: data, because error classes do not survive messaging.
 */
export interface MessageMap {
  getState: AppState
  /** Connect (or Reconnect) an account; `force_reauth` lets the person choose another Instagram login. */
  connect: AppState
  /** **Add account**: the connect flow, always with `force_reauth=true`. */
  addAccount: AppState
  /** Stops the attempt in progress; every account stays. */
  cancel: AppState
  /** **Disconnect**: removes the active account only (or `userId`'s, from the options page). */
  disconnect: AppState
  /** **Disconnect all** */
  disconnectAll: AppState
  /** Makes `userId` the active account. */
  switchAccount: AppState
  refreshProfile: AppState
}

export type MessageType = keyof MessageMap
/** `userId` names an account (switchAccount, disconnect); `forceReauth` asks Instagram which login to use (connect). */
export interface MessageArgs {
  userId?: string
  forceReauth?: boolean
}
export type Message = { [K in MessageType]: { type: K } & MessageArgs }[MessageType]
export type Reply<K extends MessageType> = Result<MessageMap[K]>
export type Handlers = { [K in MessageType]: (args: MessageArgs) => Promise<Reply<K>> }

const TYPES: readonly string[] = [
  'getState',
  'connect',
  'addAccount',
  'cancel',
  'disconnect',
  'disconnectAll',
  'switchAccount',
  'refreshProfile',
] satisfies MessageType[]

export const isMessage = (value: unknown): value is Message => {
  if (typeof value !== 'object' || value === null) return false
  const { type, userId, forceReauth } = value as Record<string, unknown>
  return TYPES.includes(type as string) && (userId === undefined || typeof userId === 'string') && (forceReauth === undefined || typeof forceReauth === 'boolean')
}

const isResult = (value: unknown): value is Result<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean'

/**
 * Sends a message to the worker and always resolves: when the worker cannot answer (it is
 * starting, or the extension was reloaded), the reply is `worker_unavailable`.
 */
export async function sendMessage<K extends MessageType>(
  runtime: { sendMessage(message: unknown): Promise<unknown> },
  type: K,
  args: MessageArgs = {},
): Promise<Reply<K>> {
  try {
    const reply = await runtime.sendMessage({ ...args, type })
    if (isResult(reply)) return reply as Reply<K>
    return fail('worker_unavailable', 'The background worker sent no reply.')
  } catch (error) {
    return fail('worker_unavailable', error instanceof Error ? error.message : String(error))
  }
}

/** Runs the handler for a message; a handler that throws still produces a reply. */
export async function dispatch(handlers: Handlers, message: Message): Promise<Reply<MessageType>> {
  try {
    const args: MessageArgs = {}
    if (message.userId !== undefined) args.userId = message.userId
    if (message.forceReauth !== undefined) args.forceReauth = message.forceReauth
    return await handlers[message.type](args)
  } catch (error) {
    return fail('unexpected', error instanceof Error ? error.message : String(error))
  }
}
