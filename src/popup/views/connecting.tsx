import { t } from '../../lib/i18n'
import { focusOnMount } from '../focus'

export function Connecting({ phase, onCancel }: { phase: 'authorizing' | 'exchanging'; onCancel: () => void }) {
  return (
    <div class="state state-center">
      <div class="spinner" aria-hidden="true" />
      <h1>{t('connecting_title')}</h1>
      <p role="status">{t(`connecting_${phase}`)}</p>
      <p class="fine">{t('connecting_can_close')}</p>
      <button ref={focusOnMount} type="button" class="btn" onClick={onCancel}>
        {t('button_cancel')}
      </button>
    </div>
  )
}
