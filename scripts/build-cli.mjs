// Bundles the headless CLI (main/cli) into one ESM file; dependencies stay in node_modules.
import { build } from 'esbuild';
import { chmod, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const CLI_OUTFILE = `${root}out/cli/alicloud-signin.mjs`;

export async function buildCli() {
  const { version } = JSON.parse(await readFile(`${root}package.json`, 'utf8'));
  await build({
    define: { __APP_VERSION__: JSON.stringify(version) },
    entryPoints: [`${root}main/cli/index.ts`],
    outfile: CLI_OUTFILE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
  await chmod(CLI_OUTFILE, 0o755);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildCli();
}
