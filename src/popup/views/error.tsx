import type { NextStep, UserMessage } from '../../lib/errors'
import { t, type MessageId } from '../../lib/i18n'
import type { ErrorInfo } from '../../lib/result'
import { CopyField } from '../../ui/copy-field'
import { RichText } from '../../ui/rich-text'
import { focusOnMount } from '../focus'

const LABELS: Record<NextStep, MessageId> = { retry: 'button_try_again', reconnect: 'button_reconnect', options: 'button_open_options' }

/** What happened, what to do, and the buttons to do it (the notice comes from errors.ts); Escape dismisses. */
export function ErrorView(props: { error: ErrorInfo; notice: UserMessage; onStep: (step: NextStep) => void; onDismiss: () => void }) {
  const { notice, error } = props
  return (
    // Escape dismisses, like Dismiss (the focus is on one of the buttons when the error shows).
    <div class="state" data-error={error.code} onKeyDown={(e) => e.key === 'Escape' && props.onDismiss()}>
      <div class="notice notice-error" role="alert">
        <h1>{notice.title}</h1>
      </div>
      <p>
        <RichText text={notice.detail} />
      </p>
      {notice.copy !== undefined && <CopyField id="copy-redirect" label={t('copy_redirect_label')} value={notice.copy} />}
      <div class="actions">
        {notice.next.map((step, i) => (
          <button key={step} ref={i === 0 ? focusOnMount : undefined} type="button" class={i === 0 ? 'btn btn-primary btn-block' : 'btn btn-block'} onClick={() => props.onStep(step)}>
            {t(LABELS[step])}
          </button>
        ))}
        <button type="button" class="btn btn-link" onClick={props.onDismiss}>
          {t('button_dismiss')}
        </button>
      </div>
      <p class="fine details">
        {t('error_code_label')} <code>{error.code}</code>
        {error.message !== '' && <> · {error.message}</>}
      </p>
    </div>
  )
}
