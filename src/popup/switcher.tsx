import { Component } from 'preact'
import type { Profile } from '../lib/api'
import { Avatar } from './profile-card'

export interface SwitcherAccount {
  id: string
  profile: Profile
  /** Its token cannot be used now: the list marks it "Reconnect". */
  dead: boolean
}

interface Props {
  accounts: SwitcherAccount[]
  activeId: string
  onSwitch: (id: string) => void
  onAdd: () => void
}

/**
 * The account switcher (SPEC "Extension behaviour"): a button with the active account's picture
 * and `@username` that opens a listbox of every account (picture, `@username`, "Reconnect"
 * where its token is dead) and **Add account**. The WAI-ARIA listbox pattern: the list has the
 * focus and points at the current option with `aria-activedescendant`; ↑/↓/Home/End move,
 * Enter or Space chooses, Escape closes and gives the focus back to the button. A class
 * component: no hooks runtime in the popup bundle.
 */
export class Switcher extends Component<Props, { open: boolean; cursor: number }> {
  override state = { open: false, cursor: 0 }
  private button: HTMLButtonElement | null = null
  private list: HTMLUListElement | null = null
  private readonly setButton = (el: HTMLButtonElement | null) => {
    this.button = el
  }
  private readonly setList = (el: HTMLUListElement | null) => {
    this.list = el
  }

  override componentDidUpdate(_: Props, previous: { open: boolean }) {
    if (this.state.open && !previous.open) this.list?.focus()
  }

  private readonly toggle = () =>
    this.setState({ open: !this.state.open, cursor: Math.max(0, this.props.accounts.findIndex((a) => a.id === this.props.activeId)) })

  private readonly close = () => {
    this.setState({ open: false })
    this.button?.focus()
  }

  private choose(id: string) {
    this.close()
    if (id !== this.props.activeId) this.props.onSwitch(id)
  }

  private readonly onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      return this.close()
    }
    if (event.target !== this.list) return
    const last = this.props.accounts.length - 1
    const { cursor } = this.state
    const next: Record<string, number> = { ArrowDown: cursor < last ? cursor + 1 : 0, ArrowUp: cursor > 0 ? cursor - 1 : last, Home: 0, End: last }
    if (event.key in next) this.setState({ cursor: next[event.key]! })
    else if (event.key === 'Enter' || event.key === ' ') this.choose(this.props.accounts[cursor]!.id)
    else return
    event.preventDefault()
  }

  override render({ accounts, activeId, onAdd }: Props) {
    const { open, cursor } = this.state
    const active = accounts.find((a) => a.id === activeId)
    if (active === undefined) return null
    return (
      <div class="switcher" data-open={open}>
        <button
          ref={this.setButton}
          type="button"
          class="switcher-button"
          aria-haspopup="listbox"
          aria-expanded={open}
          aria-controls="account-list"
          aria-label={`Switch account, now @${active.profile.username}`}
          onClick={this.toggle}
        >
          <Avatar profile={active.profile} size={24} />
          <span class="switcher-name">@{active.profile.username}</span>
          <span class="caret" aria-hidden="true" />
        </button>
        {open && (
          <div class="switcher-menu" onKeyDown={this.onKey}>
            <ul
              ref={this.setList}
              id="account-list"
              role="listbox"
              tabIndex={0}
              aria-label="Instagram accounts"
              aria-activedescendant={`account-${cursor}`}
            >
              {accounts.map((account, i) => (
                <li
                  key={account.id}
                  id={`account-${i}`}
                  role="option"
                  aria-selected={account.id === activeId}
                  data-cursor={i === cursor}
                  data-dead={account.dead}
                  onClick={() => this.choose(account.id)}
                >
                  <Avatar profile={account.profile} size={28} />
                  <span class="switcher-name">@{account.profile.username}</span>
                  {account.dead && <span class="mark">Reconnect</span>}
                </li>
              ))}
            </ul>
            <button type="button" class="btn btn-block" onClick={onAdd}>
              Add account
            </button>
          </div>
        )}
      </div>
    )
  }
}
