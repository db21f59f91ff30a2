import type { StorageLike } from './storage'

/** Both storage areas whole, as `get(null)` answers: what `decodeSnapshot` (storage.ts) reads. */
export interface StoredAreas {
  local: Record<string, unknown>
  session: Record<string, unknown>
}

/**
 * Both areas whole: one `get(null)` each, at once. A module of its own, without the item
 * definitions, so that the popup's first script (src/popup/start-read.ts) stays a few bytes.
 */
export async function readAreas(storage: StorageLike): Promise<StoredAreas> {
  const [local, session] = await Promise.all([storage.local.get(null), storage.session.get(null)])
  return { local, session }
}
