import { Component } from 'preact'

interface Props {
  label: string
  value: string
  id: string
}

/**
 * A read-only value with a Copy button, for URLs the user has to paste elsewhere. A class
 * component: the popup bundle carries no hooks runtime.
 */
export class CopyField extends Component<Props, { copied: 'idle' | 'copied' | 'select' }> {
  override state = { copied: 'idle' as const } as { copied: 'idle' | 'copied' | 'select' }

  private readonly copy = async () => {
    try {
      await navigator.clipboard.writeText(this.props.value)
      this.setState({ copied: 'copied' })
    } catch {
      // No clipboard access (the page lost focus, a policy): select it so Ctrl+C works.
      const input = document.getElementById(this.props.id)
      if (input instanceof HTMLInputElement) {
        input.focus()
        input.select()
      }
      this.setState({ copied: 'select' })
    }
  }

  override render({ label, value, id }: Props) {
    const { copied } = this.state
    return (
      <div class="copy">
        <label class="visually-hidden" for={id}>
          {label}
        </label>
        <div class="copy-field">
          <input id={id} readOnly value={value} onFocus={(e) => e.currentTarget.select()} spellcheck={false} />
          <button type="button" class="btn" onClick={this.copy} aria-describedby={`${id}-status`}>
            Copy
          </button>
        </div>
        <p id={`${id}-status`} class="fine" role="status">
          {copied === 'copied' ? 'Copied to the clipboard.' : copied === 'select' ? 'Selected: press Ctrl+C (⌘C) to copy.' : '\u00a0'}
        </p>
      </div>
    )
  }
}
