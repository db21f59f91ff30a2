/**
 * Who runs a flow. Every start of the worker script gets a fresh id, and the connect flow
 * records it in `flow` (storage.ts). A worker that is merely idle keeps its id (its script does
 * not run again); a worker the browser stopped and started again has a new one. So an active
 * flow carrying another id, or none, was orphaned: its `launchWebAuthFlow` or `POST /token`
 * promise died with the instance that awaited it, and nobody will ever finish it.
 */
export const newWorkerInstance = (): string => crypto.randomUUID()
