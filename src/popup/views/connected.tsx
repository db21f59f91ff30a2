import { t } from '../../lib/i18n'
import type { MediaItem, Profile } from '../../lib/api'
import { MediaGrid } from '../media-grid'
import { ProfileCard } from '../profile-card'

/**
 * The connected account. With `firstFrame`, the profile card alone: the popup's first frame,
 * so that `@username` is painted as soon as storage is read, before the posts' pictures are
 * requested and the rest is laid out (issue 18); the rest follows in the next frame, below it.
 */
export function Connected(props: { profile: Profile; media: MediaItem[] | null; loading: boolean; status: string; firstFrame?: boolean; onDisconnect: () => void }) {
  return (
    <div class="state">
      <ProfileCard profile={props.profile} focus />
      {props.firstFrame !== true && (
        <>
          <MediaGrid media={props.media} loading={props.loading} />
          <p class="sync fine" role="status">
            {props.status}
          </p>
          <div class="actions">
            <button type="button" class="btn btn-block" onClick={props.onDisconnect}>
              {t('button_disconnect')}
            </button>
          </div>
        </>
      )}
    </div>
  )
}
