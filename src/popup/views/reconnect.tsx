import { t } from '../../lib/i18n'
import type { Profile } from '../../lib/api'
import { AlertIcon } from '../icons'
import { focusOnMount } from '../focus'
import { ProfileCard } from '../profile-card'

export function Reconnect(props: { profile: Profile; reason: 'expired' | 'revoked'; onReconnect: () => void; onDisconnect: () => void }) {
  return (
    <div class="state">
      <div class="dimmed">
        <ProfileCard profile={props.profile} />
      </div>
      <div class="notice notice-warn" role="alert">
        <AlertIcon />
        <div>
          <h2>{t(props.reason === 'expired' ? 'reconnect_expired' : 'reconnect_revoked')}</h2>
          <p>{t('reconnect_body')}</p>
        </div>
      </div>
      <div class="actions">
        <button ref={focusOnMount} type="button" class="btn btn-primary btn-block" onClick={props.onReconnect}>
          {t('button_reconnect')}
        </button>
        <button type="button" class="btn btn-block" onClick={props.onDisconnect}>
          {t('button_disconnect')}
        </button>
      </div>
    </div>
  )
}
