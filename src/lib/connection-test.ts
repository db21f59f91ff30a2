import type { ApiClient } from './api'
import { describeError } from './errors'
import { t } from './i18n'

/** Text shown as code (see `Step.detail`). */
const code = (text: string) => `\`${text}\``

export type StepId = 'health' | 'config' | 'redirect'
export type StepState = 'pending' | 'running' | 'ok' | 'failed' | 'skipped'

export interface Step {
  id: StepId
  label: string
  state: StepState
  /** What was found, or why it failed and what to do. Text in `backticks` is code. */
  detail: string
}

const STEP_IDS: readonly StepId[] = ['health', 'config', 'redirect']

/** A step's name in the browser's language (`step_health`, …). */
export const stepLabel = (id: StepId): string => t(`step_${id}`)

const initial = (): Step[] => STEP_IDS.map((id) => ({ id, label: stepLabel(id), state: 'pending', detail: '' }))

/**
 * The options page's **Test connection** (SPEC "Extension behaviour"): `/health`, then
 * `/config`, then whether the redirect URL is in `config.redirect_uris`. Each step reports as it
 * finishes; after a failure the later steps are `skipped`, so the one that failed is plain.
 */
export async function testConnection(
  api: Pick<ApiClient, 'health' | 'config'>,
  context: { serverUrl: string; redirectUri: string },
  report: (steps: Step[]) => void = () => undefined,
): Promise<Step[]> {
  let steps = initial()
  const set = (id: StepId, state: StepState, detail = '') => {
    steps = steps.map((step) => (step.id === id ? { ...step, state, detail } : step))
    report(steps)
  }
  const failAndSkip = (id: StepId, detail: string) => {
    set(id, 'failed', detail)
    for (const step of steps) if (step.state === 'pending') set(step.id, 'skipped', t('step_not_checked'))
    return steps
  }

  set('health', 'running')
  const health = await api.health()
  if (!health.ok) return failAndSkip('health', describeError(health.error, context).detail)
  set('health', 'ok', t('step_health_ok', context.serverUrl))

  set('config', 'running')
  const config = await api.config()
  if (!config.ok) return failAndSkip('config', describeError(config.error, context).detail)
  if (config.data.client_id === '') return failAndSkip('config', t('step_config_no_app'))
  set('config', 'ok', t('step_config_ok', config.data.client_id, config.data.api, config.data.scope.join(', ')))

  set('redirect', 'running')
  if (!config.data.redirect_uris.includes(context.redirectUri)) {
    const allowed = config.data.redirect_uris.length === 0 ? t('step_allowed_none') : config.data.redirect_uris.map(code).join(', ')
    return failAndSkip('redirect', t('step_redirect_refused', code(context.redirectUri), allowed))
  }
  set('redirect', 'ok', t('step_redirect_ok', code(context.redirectUri)))
  return steps
}
