/**
 * The extension's stable identities. The Chrome id follows from the public `key` in
 * manifest.json; the Firefox redirect host is the SHA-1 of the gecko id. Both redirect URLs
 * must be registered with Instagram, so they are the server's default allow-list.
 * test/server/extension-ids.test.ts recomputes them from manifest.json.
 */
export const CHROME_EXTENSION_ID = 'keaflfdjmoomnhhnpdggooggjkklfomp'
export const FIREFOX_EXTENSION_ID = 'instagram-connect@instagram-connect.dev'
export const CHROME_REDIRECT_URI = `https://${CHROME_EXTENSION_ID}.chromiumapp.org/`
export const FIREFOX_REDIRECT_URI = 'https://a96edea38fb0fd819d70eacb0c39bf87e1cf9206.extensions.allizom.org/'
export const DEFAULT_REDIRECT_URIS: readonly string[] = [CHROME_REDIRECT_URI, FIREFOX_REDIRECT_URI]
