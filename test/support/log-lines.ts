/**
 * Every line the exchange server may log: one per request, the long-lived fallback, Meta's
 * callbacks, one per upstream failure (the call, status and Instagram's fields), and the usage
 * warning. Tests match every logged line against it, so a new kind of line is a decision.
 */
export const LOG_LINE =
  /^(?:(?:GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) \/\S* \d{3} \d+\.\dms|long-lived upgrade failed \([a-z_]+\); answering with the short-lived token|(?:deauthorize|data-deletion) callback verified|upstream (?:exchange|long-lived|refresh|profile|media) failed: .+|warning: Instagram usage at [\d.]+% \((?:X-App-Usage|X-Business-Use-Case-Usage)\); Instagram refuses calls at 100%)$/
