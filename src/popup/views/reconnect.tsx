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
          <h2>{props.reason === 'expired' ? 'Your Instagram session expired' : 'Instagram no longer accepts this connection'}</h2>
          <p>Reconnect to keep seeing your profile.</p>
        </div>
      </div>
      <div class="actions">
        <button ref={focusOnMount} type="button" class="btn btn-primary btn-block" onClick={props.onReconnect}>
          Reconnect
        </button>
        <button type="button" class="btn btn-block" onClick={props.onDisconnect}>
          Disconnect
        </button>
      </div>
    </div>
  )
}
