import { t } from '../../lib/i18n'
import type { MediaItem, Profile } from '../../lib/api'
import { MediaGrid } from '../media-grid'
import { ProfileCard } from '../profile-card'

/** The connected account: its profile card, its latest posts, and Disconnect. */
export function Connected(props: { profile: Profile; media: MediaItem[] | null; loading: boolean; status: string; onDisconnect: () => void }) {
  return (
    <div class="state">
      <ProfileCard profile={props.profile} focus />
      <MediaGrid media={props.media} loading={props.loading} />
      <p class="sync fine" role="status">
        {props.status}
      </p>
      <div class="actions">
        <button type="button" class="btn btn-block" onClick={props.onDisconnect}>
          {t('button_disconnect')}
        </button>
      </div>
    </div>
  )
}
