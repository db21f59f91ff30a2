import { t, type MessageId } from '../../lib/i18n'
import type { View } from '../../lib/view'
import { focusOnMount } from '../focus'
import { ProfileCard } from '../profile-card'

type ReconnectView = Extract<View, { kind: 'reconnect' }>

/** What is wrong with the active account's token, by `DeadReason`. */
const TITLES: Record<ReconnectView['reason'], MessageId> = {
  expired: 'reconnect_expired',
  revoked: 'reconnect_revoked',
  permission: 'reconnect_permission',
  server: 'reconnect_server',
}

export function Reconnect({ view, onReconnect, onDisconnect }: { view: ReconnectView; onReconnect: () => void; onDisconnect: () => void }) {
  return (
    <div class="state" data-reason={view.reason}>
      <div class="dimmed">
        <ProfileCard profile={view.profile} />
      </div>
      <div class="notice notice-warn" role="alert">
        <div>
          <h2>{t(TITLES[view.reason])}</h2>
          <p>
            {/* permission_missing: the server's description names the permission. */}
            {view.reason === 'server'
              ? t('reconnect_server_body', view.account.server)
              : `${view.reason === 'permission' ? (view.account.reconnect?.message ?? '') : ''} ${t('reconnect_body')}`}
          </p>
        </div>
      </div>
      <div class="actions">
        <button ref={focusOnMount} type="button" class="btn btn-primary btn-block" onClick={onReconnect}>
          {t('button_reconnect')}
        </button>
        <button type="button" class="btn btn-block" onClick={onDisconnect}>
          {t('button_disconnect')}
        </button>
      </div>
    </div>
  )
}
