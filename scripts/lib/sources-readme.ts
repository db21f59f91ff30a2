/**
 * The build instructions that go into the addons.mozilla.org sources archive, as AMO asks
 * (extensionworkshop.com, "Source code submission"): the environment, the tools with their
 * versions, and the commands that rebuild the exact files of the package.
 */
export function sourcesReadme(options: { version: string; node: string; npm: string; packageName: string }): string {
  return `# Instagram Connect ${options.version} — sources for addons.mozilla.org review

This archive holds the sources of the Firefox package \`${options.packageName}\` and everything
needed to rebuild it. The package's JavaScript is bundled and minified by Vite (Rollup/Rolldown)
from the TypeScript and Preact sources in \`src/\`; nothing is obfuscated, and no code is
loaded from anywhere at run time.

## Environment

- Any of Linux, macOS or Windows (the package was built on Linux x64).
- Node.js ${options.node} (any 20.19 or newer works) with npm ${options.npm} (npm 10 or newer).
  Get them from https://nodejs.org/.

## Build

In an empty folder where this archive was unpacked:

\`\`\`sh
npm ci
npm run build-for-amo
\`\`\`

\`npm ci\` installs the exact versions pinned in \`package-lock.json\` from the npm registry.
\`npm run build-for-amo\` (the same as \`vite build --mode firefox\`) writes \`dist/firefox/\`, whose
files are the package's files, byte for byte. (\`npm run build\` builds the Chromium one too, into
\`dist/chrome/\`.)

## What is where

- \`manifest.json\`: the manifest both browsers' builds start from; \`vite.config.ts\` turns it
  into Firefox's (\`firefoxManifest\`: an event page instead of a service worker, the gecko id,
  host permissions without ports) and sets the version from \`package.json\`.
- \`src/background/\`: the background script (sign-in flow, token refresh, first-run page).
- \`src/popup/\`, \`src/options/\`, \`src/welcome/\`: the extension's pages (Preact).
- \`src/lib/\`: small modules they share; \`public/icons/\`: the icons.
- \`server/extension-ids.ts\`: the fixed extension ids, read by the build.

Third-party code in the package: Preact (https://github.com/preactjs/preact) and
webextension-polyfill (https://github.com/mozilla/webextension-polyfill), at the versions in
\`package-lock.json\`.
`
}
