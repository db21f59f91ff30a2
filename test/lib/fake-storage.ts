import type { StorageAreaLike, StorageLike } from '../../src/lib/storage'

export type ChangeListener = (changes: Record<string, { oldValue?: unknown; newValue?: unknown }>, area: string) => void

/** An in-memory `browser.storage.local`/`session` pair that clones values like the real one. */
export function fakeStorage(initial: { local?: Record<string, unknown>; session?: Record<string, unknown> } = {}) {
  const listeners: ChangeListener[] = []
  const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v))
  const area = (name: 'local' | 'session', data: Map<string, unknown>): StorageAreaLike & { data: Map<string, unknown> } => ({
    data,
    async get(keys) {
      const wanted = keys === null || keys === undefined ? [...data.keys()] : typeof keys === 'string' ? [keys] : keys
      const out: Record<string, unknown> = {}
      for (const key of wanted) if (data.has(key)) out[key] = clone(data.get(key))
      return out
    },
    async set(values) {
      const changes: Record<string, { oldValue?: unknown; newValue?: unknown }> = {}
      for (const [key, value] of Object.entries(values)) {
        changes[key] = { oldValue: data.get(key), newValue: clone(value) }
        data.set(key, clone(value))
      }
      for (const l of listeners) l(changes, name)
    },
    async remove(keys) {
      const changes: Record<string, { oldValue?: unknown }> = {}
      for (const key of typeof keys === 'string' ? [keys] : keys) {
        if (!data.has(key)) continue
        changes[key] = { oldValue: data.get(key) }
        data.delete(key)
      }
      for (const l of listeners) l(changes, name)
    },
  })
  const storage = {
    local: area('local', new Map(Object.entries(initial.local ?? {}))),
    session: area('session', new Map(Object.entries(initial.session ?? {}))),
    onChanged: { addListener: (l: ChangeListener) => listeners.push(l) },
  }
  return storage satisfies StorageLike
}
