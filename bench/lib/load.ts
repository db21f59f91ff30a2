/**
 * A closed-loop load generator: `concurrency` workers each run `op` back to back until `count`
 * operations have been started. Returns each operation's duration in milliseconds. Any failed
 * operation fails the run: a benchmark of errors measures nothing.
 */
export async function closedLoop(op: (index: number) => Promise<void>, concurrency: number, count: number): Promise<number[]> {
  const durations: number[] = []
  let next = 0
  const worker = async () => {
    while (next < count) {
      const index = next++
      const started = performance.now()
      await op(index)
      durations.push(performance.now() - started)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
  return durations
}

/** Hands out pre-minted single-use codes in order; throws when they run out. */
export function codeQueue(codes: string[]): () => string {
  let i = 0
  return () => {
    const code = codes[i++]
    if (code === undefined) throw new Error('ran out of pre-minted codes')
    return code
  }
}
