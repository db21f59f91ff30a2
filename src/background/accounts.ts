import { ACCOUNT_PREFIX, decodeAccounts, MEDIA_PREFIX, PROFILE_PREFIX, V1_KEYS, type Account, type Accounts } from '../lib/accounts'
import { migrationOf, type Write } from '../lib/account-writes'
import { items, type StorageLike } from '../lib/storage'

/** The accounts and the saved server URL, read from storage now (never kept in a variable). */
export async function readAccounts(storage: StorageLike): Promise<{ accounts: Accounts; serverUrl: string }> {
  const local = await storage.local.get(null)
  const serverUrl = items.serverUrl.decode(local[items.serverUrl.key])
  return { accounts: decodeAccounts(local), serverUrl }
}

/** Performs a `Write` (accounts.ts): the removals first, so a key both removed and set ends set. */
export async function applyWrite(storage: StorageLike, write: Write): Promise<void> {
  if (write.remove.length > 0) await storage.local.remove(write.remove)
  if (Object.keys(write.set).length > 0) await storage.local.set(write.set)
}

/**
 * Brings `storage.local` to schema version 2 (accounts.ts) if it is older: on
 * `runtime.onInstalled` with reason `update`, on every worker start and before every message,
 * so a missed event costs nothing. Idempotent; true when something was rewritten.
 */
export async function migrateStorage(storage: StorageLike): Promise<boolean> {
  const local = await storage.local.get(null)
  const write = migrationOf(local, items.serverUrl.decode(local[items.serverUrl.key]))
  if (write === null) return false
  // Version 2 first, then the version 1 keys go: stopped halfway, the next start finishes.
  await storage.local.set(write.set)
  if (write.remove.length > 0) await storage.local.remove(write.remove)
  return true
}

/**
 * Rewrites one account with `change`, only if it still holds `token`: a connect, a refresh or a
 * disconnect that happened meanwhile wins. True when written.
 */
export async function updateAccount(storage: StorageLike, id: string, token: string, change: (account: Account) => Account): Promise<boolean> {
  const { accounts } = await readAccounts(storage)
  const entry = accounts.list.find((e) => e.account.user.id === id)
  if (entry === undefined || entry.account.access_token !== token) return false
  await storage.local.set({ [ACCOUNT_PREFIX + id]: change(entry.account) })
  return true
}

/** Every account key, including damaged ones that decode skips, and the version 1 keys. */
export async function allAccountKeys(storage: StorageLike): Promise<string[]> {
  const local = await storage.local.get(null)
  const prefixes = [ACCOUNT_PREFIX, PROFILE_PREFIX, MEDIA_PREFIX]
  return [...Object.keys(local).filter((key) => prefixes.some((p) => key.startsWith(p))), ...V1_KEYS]
}
