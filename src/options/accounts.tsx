import { useEffect, useState } from 'preact/hooks'
import { deadReason, profileFor, type Accounts, type DeadReason } from '../lib/accounts'
import browser from '../lib/browser'
import { sendMessage } from '../lib/messages'
import { readSnapshot } from '../lib/storage'

const STATES: Record<DeadReason, string> = {
  expired: 'Session expired: Reconnect from the popup',
  revoked: 'Instagram no longer accepts it: Reconnect from the popup',
  permission: 'A permission is missing: Reconnect from the popup',
  server: 'Belongs to another server: Reconnect, or set that server again',
}

/** A server URL's host for the list; the text itself if it is not a URL (damaged data). */
function hostOf(server: string): string {
  try {
    return new URL(server).host
  } catch {
    return server
  }
}

/** The stored accounts and the saved server URL, kept up to date with `storage.onChanged`. */
export function useAccounts(): { accounts: Accounts; serverUrl: string } | null {
  const [state, setState] = useState<{ accounts: Accounts; serverUrl: string } | null>(null)
  useEffect(() => {
    const load = () => void readSnapshot(browser.storage).then(({ accounts, serverUrl }) => setState({ accounts, serverUrl }))
    browser.storage.onChanged.addListener(load)
    load()
    return () => browser.storage.onChanged.removeListener(load)
  }, [])
  return state
}

/** `@a, @b`: the accounts whose token came from `server`, which another saved URL leaves unused. */
export function accountsOf(accounts: Accounts, server: string): string[] {
  return accounts.list.filter((e) => e.account.server === server).map((e) => `@${profileFor(e).username}`)
}

/**
 * The options page's account list (SPEC "Extension behaviour"): every connected account with its
 * state and the server its token belongs to, its own **Disconnect**, and **Disconnect all**.
 * The worker does the removing (messages.ts), as for the popup.
 */
export function AccountsSection({ accounts, serverUrl }: { accounts: Accounts; serverUrl: string }) {
  const [busy, setBusy] = useState(false)
  const run = async (send: () => Promise<unknown>) => {
    setBusy(true)
    await send()
    setBusy(false)
  }
  const now = Date.now()
  const active = accounts.order[0]
  return (
    <section class="card" aria-labelledby="accounts-title">
      <h2 id="accounts-title">Accounts</h2>
      {accounts.list.length === 0 ? (
        <p class="muted">No Instagram account is connected. Connect one from the toolbar button.</p>
      ) : (
        <>
          <p class="muted">
            Up to 10 accounts. Switch between them, or add one, from the account menu at the top of the popup. Each token goes only to the server that issued it.
          </p>
          <ul class="accounts" aria-label="Connected accounts">
            {accounts.list.map((entry) => {
              const { account } = entry
              const id = account.user.id
              const profile = profileFor(entry)
              const reason = deadReason(account, serverUrl, now)
              return (
                <li key={id} class="account" data-user-id={id} data-state={reason ?? 'ok'}>
                  <span class="account-avatar" aria-hidden="true">
                    {profile.username.charAt(0).toUpperCase()}
                    {profile.profile_picture_url?.startsWith('http') === true && <img src={profile.profile_picture_url} alt="" width={36} height={36} referrerpolicy="no-referrer" />}
                  </span>
                  <div class="account-text" id={`account-${id}`}>
                    <p class="account-name">
                      @{profile.username}
                      {id === active && <span class="badge-active"> (active)</span>}
                    </p>
                    <p class="account-state">
                      {reason === null ? 'Connected' : STATES[reason]} · <span class="mono">{hostOf(account.server)}</span>
                    </p>
                  </div>
                  <button type="button" class="btn" disabled={busy} aria-describedby={`account-${id}`} onClick={() => run(() => sendMessage(browser.runtime, 'disconnect', { userId: id }))}>
                    Disconnect
                  </button>
                </li>
              )
            })}
          </ul>
          <div class="row">
            <button type="button" class="btn btn-danger" disabled={busy} onClick={() => run(() => sendMessage(browser.runtime, 'disconnectAll'))}>
              Disconnect all
            </button>
          </div>
        </>
      )}
    </section>
  )
}
