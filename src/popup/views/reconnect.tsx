import type { View } from '../../lib/view'
import { AlertIcon } from '../icons'
import { focusOnMount } from '../focus'
import { ProfileCard } from '../profile-card'

type ReconnectView = Extract<View, { kind: 'reconnect' }>

/** What is wrong with the active account's token, by `DeadReason`. */
const TITLES = {
  expired: 'Your Instagram session expired',
  revoked: 'Instagram no longer accepts this connection',
  permission: 'A permission is missing',
  server: 'Connected through another server',
} as const

export function Reconnect({ view, onReconnect, onDisconnect }: { view: ReconnectView; onReconnect: () => void; onDisconnect: () => void }) {
  return (
    <div class="state" data-reason={view.reason}>
      <div class="dimmed">
        <ProfileCard profile={view.profile} />
      </div>
      <div class="notice notice-warn" role="alert">
        <AlertIcon />
        <div>
          <h2>{TITLES[view.reason]}</h2>
          <p>
            {/* permission_missing: the server's description names the permission. */}
            {view.reason === 'server'
              ? `Its token goes only to ${view.account.server}: set that server again in Options, or reconnect.`
              : `${view.reason === 'permission' ? (view.account.reconnect?.message ?? '') : ''} Reconnect to keep seeing your profile.`}
          </p>
        </div>
      </div>
      <div class="actions">
        <button ref={focusOnMount} type="button" class="btn btn-primary btn-block" onClick={onReconnect}>
          Reconnect
        </button>
        <button type="button" class="btn btn-block" onClick={onDisconnect}>
          Disconnect
        </button>
      </div>
    </div>
  )
}
