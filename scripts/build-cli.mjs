// Bundles the headless CLI: a small launcher (out/cli/alicloud-signin.mjs, the `bin`) that answers
// `credentials` from a running broker with Node's built-ins only, and the full CLI
// (out/cli/main.mjs) that it loads otherwise. Dependencies stay in node_modules.
import { build } from 'esbuild';
import { chmod, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const CLI_OUTFILE = `${root}out/cli/alicloud-signin.mjs`;
const MAIN_OUTFILE = `${root}out/cli/main.mjs`;

export async function buildCli() {
  const { version } = JSON.parse(await readFile(`${root}package.json`, 'utf8'));
  const common = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  };
  await Promise.all([
    build({
      ...common,
      define: { __APP_VERSION__: JSON.stringify(version) },
      entryPoints: [`${root}main/cli/index.ts`],
      outfile: MAIN_OUTFILE,
      sourcemap: 'linked',
    }),
    build({
      ...common,
      entryPoints: [`${root}main/cli/launcher.ts`],
      outfile: CLI_OUTFILE,
      banner: { js: '#!/usr/bin/env node' },
    }),
  ]);
  await chmod(CLI_OUTFILE, 0o755);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildCli();
}
