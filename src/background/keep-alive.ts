/** Under Chrome's 30-second idle timeout for extension service workers. */
const PING_MS = 25_000

/**
 * Keeps the worker alive while `work` runs, by calling a trivial extension API periodically, as
 * Chrome documents for long operations ("Keep a service worker alive until a long-running
 * operation is finished", developer.chrome.com/docs/extensions/develop/migrate/to-service-workers).
 * The user may take minutes on the consent page; without this the worker, and the flow with
 * it, could be stopped halfway. Harmless in Firefox.
 */
export async function keepAliveWhile<T>(ping: () => unknown, work: Promise<T>): Promise<T> {
  const timer = setInterval(() => {
    try {
      void Promise.resolve(ping()).catch(() => undefined)
    } catch {
      // The ping only has to reach the browser; its answer does not matter.
    }
  }, PING_MS)
  try {
    return await work
  } finally {
    clearInterval(timer)
  }
}
