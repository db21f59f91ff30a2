import { t } from '../../lib/i18n'
import { focusOnMount } from '../focus'

export function Disconnected({ serverUrl, onConnect }: { serverUrl: string; onConnect: () => void }) {
  return (
    <div class="state state-center">
      <img class="hero" src="/icons/icon-128.png" width={72} height={72} alt="" />
      <h1>{t('disconnected_title')}</h1>
      <p class="muted">{t('disconnected_body')}</p>
      <button ref={focusOnMount} type="button" class="btn btn-primary btn-block" onClick={onConnect}>
        {t('button_connect')}
      </button>
      <p class="fine">
        {t('server_label')} <span class="server-url">{serverUrl}</span>
      </p>
    </div>
  )
}
