import { t } from '../../lib/i18n'
import { focusOnMount } from '../focus'

export function NotConfigured({ onOptions }: { onOptions: () => void }) {
  return (
    <div class="state state-center">
      <h1>{t('not_configured_title')}</h1>
      <p class="muted">{t('not_configured_body')}</p>
      <button ref={focusOnMount} type="button" class="btn btn-primary btn-block" onClick={onOptions}>
        {t('button_open_options')}
      </button>
    </div>
  )
}
