/**
 * The Chrome Web Store's manifest: the built one without `key`. The store refuses an upload
 * whose manifest has a `key` ("key field is not allowed in manifest"): it gives the item its own
 * id at the first upload, and signs the package itself. The `key` in manifest.json only fixes
 * the id of unpacked (development) installs; see README "Publishing" for making both ids the
 * same (put the store's public key there) and for the redirect URL the store build has.
 */
export function chromeStoreManifest<M extends { key?: string }>(manifest: M): Omit<M, 'key'> {
  const { key: _key, ...rest } = manifest
  return rest
}
