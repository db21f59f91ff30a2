import { Component } from 'preact'
import { t } from '../lib/i18n'

interface Props {
  label: string
  value: string
  id: string
}

type Copied = 'idle' | 'copied' | 'select'

/**
 * A value the user has to paste elsewhere (the redirect URL), shown whole — never cut off —
 * with a Copy button. A class component: the popup bundle carries no hooks runtime.
 */
export class CopyField extends Component<Props, { copied: Copied }> {
  override state: { copied: Copied } = { copied: 'idle' }

  private readonly copy = async () => {
    try {
      await navigator.clipboard.writeText(this.props.value)
      this.setState({ copied: 'copied' })
    } catch {
      // No clipboard access (the page lost focus, a policy): select the text so Ctrl+C works.
      const element = document.getElementById(this.props.id)
      if (element !== null) getSelection()?.selectAllChildren(element)
      this.setState({ copied: 'select' })
    }
  }

  override render({ label, value, id }: Props) {
    const { copied } = this.state
    return (
      <div class="copy" role="group" aria-label={label}>
        <div class="copy-field">
          <code id={id} class="copy-value">
            {value}
          </code>
          <button type="button" class="btn" onClick={this.copy} aria-label={t('copy_named', label)}>
            {t('button_copy')}
          </button>
        </div>
        <p class="fine" role="status">
          {copied === 'copied' ? t('copy_done') : copied === 'select' ? t('copy_select') : '\u00a0'}
        </p>
      </div>
    )
  }
}
