/**
 * How the Node server is bundled: one ES module with every dependency inside, which plain `node`
 * runs without `node_modules`. Shared by `npm run server` (server/launch.mjs, a cached bundle)
 * and `npm run build:server` (scripts/build-server.mjs, `dist/server/index.mjs` to deploy).
 */

/**
 * esbuild options for bundling `server/node.ts`.
 * @param {string} root the repository's root (esbuild's working directory)
 * @param {string} outfile where the bundle goes (absolute)
 * @returns {import('esbuild').BuildOptions}
 */
export function serverBundleOptions(root, outfile) {
  return {
    absWorkingDir: root,
    entryPoints: ['server/node.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'silent',
    // Bundled CommonJS dependencies may call require().
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  }
}
