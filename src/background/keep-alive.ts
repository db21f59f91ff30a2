/**
 * How often the worker pings while it handles a message: more often than any idle timeout the
 * worker may run under. Chrome stops an extension service worker after 30 s without an
 * extension event or API call. Firefox suspends an event page after
 * `extensions.background.idle.timeout` ms (default 30 000, any value from 100 to 300 000 in
 * about:config) without one, and the timer is reset by extension API calls, not by `fetch`.
 */
export const PING_MS = 1_000

/**
 * Keeps the worker alive while `work` runs, by calling a trivial extension API periodically, as
 * Chrome documents for long operations ("Keep a service worker alive until a long-running
 * operation is finished", developer.chrome.com/docs/extensions/develop/migrate/to-service-workers).
 * The user may take minutes on the consent page; without this the worker, and the flow with
 * it, could be stopped halfway.
 *
 * Firefox holds the event page itself while `identity.launchWebAuthFlow` is pending
 * (ext-identity.js registers the promise with the page's idle manager, reason
 * `launchWebAuthFlow`), but not while `/config`, `POST /token` or the profile are fetched: then
 * only these pings keep it, every `PING_MS`, so a lowered idle timeout (down to about a second)
 * cannot suspend the page halfway through the code exchange. test/e2e/firefox-idle.test.ts runs
 * the flow in Firefox ESR with the timeout lowered.
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
