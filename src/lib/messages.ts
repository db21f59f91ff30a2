import type { AppState } from './view'
import { fail, type Result } from './result'

/**
 * The one typed map of messages the popup and options page send to the worker. Every reply is
 * `Result<AppState>`: data, because error classes do not survive messaging.
 */
export interface MessageMap {
  getState: AppState
  connect: AppState
  disconnect: AppState
  refreshProfile: AppState
}

export type MessageType = keyof MessageMap
export type Message = { [K in MessageType]: { type: K } }[MessageType]
export type Reply<K extends MessageType> = Result<MessageMap[K]>
export type Handlers = { [K in MessageType]: () => Promise<Reply<K>> }

const TYPES: readonly string[] = ['getState', 'connect', 'disconnect', 'refreshProfile'] satisfies MessageType[]

export const isMessage = (value: unknown): value is Message =>
  typeof value === 'object' && value !== null && TYPES.includes((value as { type?: unknown }).type as string)

const isResult = (value: unknown): value is Result<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean'

/**
 * Sends a message to the worker and always resolves: when the worker cannot answer (it is
 * starting, or the extension was reloaded), the reply is `worker_unavailable`.
 */
export async function sendMessage<K extends MessageType>(
  runtime: { sendMessage(message: unknown): Promise<unknown> },
  type: K,
): Promise<Reply<K>> {
  try {
    const reply = await runtime.sendMessage({ type })
    if (isResult(reply)) return reply as Reply<K>
    return fail('worker_unavailable', 'The background worker sent no reply.')
  } catch (error) {
    return fail('worker_unavailable', error instanceof Error ? error.message : String(error))
  }
}

/** Runs the handler for a message; a handler that throws still produces a reply. */
export async function dispatch(handlers: Handlers, message: Message): Promise<Reply<MessageType>> {
  try {
    return await handlers[message.type]()
  } catch (error) {
    return fail('unexpected', error instanceof Error ? error.message : String(error))
  }
}
