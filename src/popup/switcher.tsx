import { Component } from 'preact'
import { deadReason, find, profileFor } from '../lib/accounts'
import { t } from '../lib/i18n'
import type { Snapshot } from '../lib/storage'
import { Avatar } from './profile-card'

interface Props {
  snapshot: Snapshot
  onSwitch: (id: string) => void
  onAdd: () => void
}

/**
 * The account switcher (SPEC "Extension behaviour"): a button with the active account's picture
 * and `@username` (its accessible name) that opens a listbox of every account, most recently
 * active first (picture, `@username`, "Reconnect" where its token cannot be used now), and
 * **Add account**. The WAI-ARIA listbox pattern with the focus on the options: opening focuses
 * the active account, ↑/↓ move (and wrap), Enter chooses, Escape closes; closing gives the
 * focus back to the button. A click outside it, or Tab out of it, closes it too. A class component: no hooks runtime in the popup bundle.
 */
export class Switcher extends Component<Props, { open: boolean }> {
  override state = { open: false }

  private readonly toggle = () => this.setState({ open: !this.state.open })

  /** A click elsewhere, or Tab out of it: the focus leaves the switcher, and the list closes. */
  private readonly leave = (event: FocusEvent) => {
    if (!(this.base as Element).contains(event.relatedTarget as Node | null)) this.setState({ open: false })
  }

  override componentDidUpdate(_: Props, previous: { open: boolean }) {
    if (this.state.open && !previous.open) (this.base as Element).querySelector<HTMLElement>('[role=option]')!.focus()
  }

  private choose(id: string | null) {
    const button = (this.base as Element).querySelector('button')!
    this.setState({ open: false })
    button.focus()
    if (id !== null && id !== this.props.snapshot.accounts.order[0]) this.props.onSwitch(id)
  }

  private readonly onKey = (event: KeyboardEvent) => {
    const option = event.target as HTMLElement
    const list = option.parentElement!
    if (event.key === 'Escape') this.choose(null)
    else if (option.role !== 'option') return
    else if (event.key === 'ArrowDown') ((option.nextElementSibling ?? list.firstElementChild) as HTMLElement).focus()
    else if (event.key === 'ArrowUp') ((option.previousElementSibling ?? list.lastElementChild) as HTMLElement).focus()
    else if (event.key === 'Enter') option.click()
    else return
    event.preventDefault()
  }

  override render({ snapshot, onAdd }: Props, { open }: { open: boolean }) {
    const { accounts, serverUrl } = snapshot
    const entries = accounts.order.map((id) => find(accounts, id)!)
    const active = profileFor(entries[0]!)
    return (
      <div class="switcher" onFocusOut={this.leave}>
        <button type="button" class="switcher-button" aria-haspopup="listbox" aria-expanded={open} onClick={this.toggle}>
          <Avatar profile={active} />
          <span class="switcher-name">@{active.username}</span>
        </button>
        {open && (
          <div class="switcher-menu" onKeyDown={this.onKey}>
            <ul role="listbox" aria-label={t('switcher_label')}>
              {entries.map((entry, i) => {
                const id = entry.account.user.id
                const profile = profileFor(entry)
                return (
                  <li key={id} role="option" tabIndex={i ? -1 : 0} aria-selected={!i} onClick={() => this.choose(id)}>
                    <Avatar profile={profile} />
                    <span class="switcher-name">@{profile.username}</span>
                    {deadReason(entry.account, serverUrl, Date.now()) !== null && <span class="mark">{t('button_reconnect')}</span>}
                  </li>
                )
              })}
            </ul>
            <button type="button" class="btn btn-block" onClick={onAdd}>
              {t('button_add_account')}
            </button>
          </div>
        )}
      </div>
    )
  }
}
