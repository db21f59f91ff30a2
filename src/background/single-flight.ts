import type { StorageLike } from '../lib/storage'

/** The connect flow running in this worker instance, per storage (one in the worker; one per fake in tests). */
const running = new WeakMap<StorageLike, Promise<unknown>>()

/**
 * Runs `start` unless a flow already runs for `storage`, in which case the caller joins it and
 * gets the same outcome: two popups clicking Connect at once start one flow. Kept in memory on
 * purpose: a flow belongs to the worker instance that runs it, and so does this record.
 */
export function joinOrStart<T>(storage: StorageLike, start: () => Promise<T>): Promise<T> {
  const current = running.get(storage)
  if (current !== undefined) return current as Promise<T>
  const flow = start().finally(() => {
    if (running.get(storage) === flow) running.delete(storage)
  })
  running.set(storage, flow)
  return flow
}

/** Forgets the running flow (Cancel, Disconnect): the next Connect starts a new one. */
export function forgetFlow(storage: StorageLike): void {
  running.delete(storage)
}
