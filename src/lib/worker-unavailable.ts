import { t } from './i18n'
import type { UserMessage } from './user-message'

/**
 * The one message the popup words itself: when the worker does not answer, there is nobody to
 * look the error up in the table (errors.ts, which uses this same entry).
 */
export const workerUnavailable = (): UserMessage => ({
  title: t('error_worker_unavailable_title'),
  detail: t('error_worker_unavailable_detail'),
  next: ['retry'],
})
