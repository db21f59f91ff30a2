/**
 * `RATE_LIMIT_REDIS_URL` (SPEC "Server configuration"): the per-IP limit of `POST /token` and
 * `POST /refresh` counted in Redis, so every Node instance behind one address shares it. Node
 * only: server/start.ts imports this, the Worker entry never does (Workers count with their
 * rate-limiting binding), so the Redis client stays out of the Worker bundle. server/start.ts
 * loads it with a dynamic import, only when RATE_LIMIT_REDIS_URL is set: a server without Redis
 * never evaluates ioredis (BENCHMARKS.md, row 7).
 *
 * The counting is hono-rate-limiter's own `RedisStore` (an atomic Lua script per hit); the client
 * is ioredis, behind the four calls that store makes.
 *
 * **Fail-open, to a per-instance limit.** When Redis cannot answer (stopped, unreachable, or slower
 * than COMMAND_TIMEOUT_MS), each instance counts in its own memory, as it does without Redis,
 * until Redis answers again. Logins go on — a Redis outage must not become a sign-in outage,
 * since the limit only guards against one address hammering the endpoints — and one address still
 * gets at most the limit per instance meanwhile. One warning line says when the shared count is
 * lost, one line when it is back.
 */
import { Redis } from 'ioredis'
import { MemoryStore, RedisStore, type ClientRateLimitInfo, type RedisClient, type Store } from 'hono-rate-limiter'

/** A Redis call slower than this counts as Redis being unavailable (ioredis `commandTimeout`). */
export const COMMAND_TIMEOUT_MS = 500
/** While Redis is unavailable, it is tried again at most this often; other hits count locally at once. */
export const RETRY_SHARED_MS = 1000

type Options = Parameters<NonNullable<Store['init']>>[0]

/**
 * A store that counts in `shared` and, while `shared` fails, in `local` (see the module comment).
 * `log` gets one line when the shared count is lost and one when it is back.
 */
export class FailOpenStore implements Store {
  #down = false
  #lastTry = 0

  constructor(
    private readonly shared: Store,
    private readonly local: Store,
    private readonly log: (line: string) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  init(options: Options): void {
    void this.shared.init?.(options)
    void this.local.init?.(options)
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    if (this.#down && this.now() - this.#lastTry < RETRY_SHARED_MS) return this.local.increment(key)
    this.#lastTry = this.now()
    try {
      const info = await this.shared.increment(key)
      this.up()
      return info
    } catch (error) {
      this.failed(error)
      return this.local.increment(key)
    }
  }

  async decrement(key: string): Promise<void> {
    await Promise.resolve((this.#down ? this.local : this.shared).decrement(key)).catch(() => undefined)
  }

  async resetKey(key: string): Promise<void> {
    await Promise.allSettled([this.shared.resetKey(key), this.local.resetKey(key)])
  }

  /** Redis failed (a call, or the connection): the first failure of an outage logs one warning. */
  failed(error: unknown): void {
    if (this.#down) return
    this.#down = true
    this.#lastTry = this.now()
    this.log(`warning: RATE_LIMIT_REDIS_URL: Redis is unavailable (${reasonOf(error)}); each instance counts the per-IP limit on its own until it is back.`)
  }

  private up(): void {
    if (!this.#down) return
    this.#down = false
    this.log('RATE_LIMIT_REDIS_URL: Redis answers again; the per-IP limit is shared again.')
  }
}

/** What went wrong, without the URL (it may carry the Redis password). */
function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string') return code
  return error instanceof Error ? error.message.split('\n')[0]!.slice(0, 120) : 'unknown error'
}

export interface SharedRateLimitStore {
  store: Store
  /** Closes the Redis connection (on shutdown, so the process can end). */
  close(): Promise<void>
}

/**
 * The store for `RATE_LIMIT_REDIS_URL`: hono-rate-limiter's RedisStore over ioredis, failing open
 * to a MemoryStore. Connects in the background; never throws, never delays the server's start.
 */
export function sharedRateLimitStore(url: string, log: (line: string) => void): SharedRateLimitStore {
  const redis = new Redis(url, {
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 2000,
    // Fail at once rather than queue while disconnected, and never replay a hit after a reconnect.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  })
  const client: RedisClient = {
    scriptLoad: (script) => redis.script('LOAD', script) as Promise<string>,
    evalsha: <TArgs extends unknown[], TData = unknown>(sha1: string, keys: string[], args: TArgs) =>
      redis.evalsha(sha1, keys.length, ...keys, ...(args as string[])) as Promise<TData>,
    decr: (key) => redis.decr(key),
    del: (key) => redis.del(key),
  }
  const store = new FailOpenStore(new RedisStore({ client, prefix: 'ic-rl:' }), new MemoryStore(), log)
  // ioredis reports every failed reconnection as an `error` event; the store logs the outage once.
  redis.on('error', (error: unknown) => store.failed(error))
  return {
    store,
    async close() {
      await redis.quit().catch(() => redis.disconnect())
    },
  }
}
