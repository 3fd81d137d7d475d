// Bundles the headless CLI: a small launcher (out/cli/alicloud-signin.mjs, the `bin`) that answers
// `credentials`, `exec` and shell completion from Node's built-ins where it can, and the full CLI
// (out/cli/main.mjs) that it loads otherwise. ESM with code splitting: every command is its own
// `import()`, so a command loads only the chunks it uses (`profile list` never loads the OIDC client,
// nothing but `demo` loads the demo site). Start-up is mostly compiling JavaScript, so the pure-JS
// dependencies are bundled, tree-shaken and minified too (hundreds of small files cost more than one chunk);
// the keychain binding (native) and the demo site's own dependencies stay in node_modules.
import { build } from 'esbuild';
import { chmod, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkedRulesDefine } from './checked-rules.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const OUTDIR = `${root}out/cli`;
export const CLI_OUTFILE = `${OUTDIR}/alicloud-signin.mjs`;
const CHUNKS = `${OUTDIR}/chunks`;
/** Chunks another build replaced are kept this long: a CLI started before it may still import them. */
const STALE_AFTER_MS = 60 * 60_000;
/** Loaded from node_modules: native code, and what only the demo site (`demo`) uses. */
const EXTERNAL = ['@napi-rs/keyring', 'oidc-provider', 'selfsigned', 'electron'];
/** Bundled CommonJS (undici) calls require() for Node's built-ins; an ES module has none of its own. */
const REQUIRE_SHIM =
  "import { createRequire as __cliRequire } from 'node:module'; const require = __cliRequire(import.meta.url);";

/** zod's classic API, the module its `z` is a namespace of (require.resolve: vitest runs this file too). */
const ZOD_CLASSIC = join(dirname(createRequire(import.meta.url).resolve('zod')), 'v4', 'classic', 'external.js');

/**
 * esbuild keeps all of zod for `import { z } from 'zod'` (a namespace re-exported as a binding:
 * 40 locales, JSON Schema, every schema type), and only what is used for a namespace imported
 * as such. The same module either way; loading a fifth of it makes `profile list` start faster.
 */
const zodNamespace = {
  name: 'zod-namespace',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes('node_modules')) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes("import { z } from 'zod';")) return undefined;
      return {
        contents: source.replace("import { z } from 'zod';", `import * as z from ${JSON.stringify(ZOD_CLASSIC)};`),
        loader: 'ts',
      };
    });
  },
};

export async function buildCli() {
  const { version } = JSON.parse(await readFile(`${root}package.json`, 'utf8'));
  const result = await build({
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    logLevel: 'warning',
    splitting: true,
    minify: true,
    banner: { js: REQUIRE_SHIM },
    plugins: [zodNamespace],
    entryPoints: { 'alicloud-signin': `${root}main/cli/launcher.ts`, main: `${root}main/cli/main.ts` },
    outdir: OUTDIR,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    define: { __APP_VERSION__: JSON.stringify(version), ...checkedRulesDefine() },
    sourcemap: 'linked',
    metafile: true,
  });
  const outputs = Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.mjs'));
  await Promise.all(outputs.map((file) => dropUnusedShim(`${root}${file}`)));
  // As a banner the shebang would go on every chunk; only the bin needs it.
  const launcher = await readFile(CLI_OUTFILE, 'utf8');
  if (!launcher.startsWith('#!')) await writeFile(CLI_OUTFILE, `#!/usr/bin/env node${launcher}`);
  await chmod(CLI_OUTFILE, 0o755);
  await removeStaleChunks(new Set(Object.keys(result.metafile.outputs).map((file) => file.split('/').pop())));
}

/**
 * The require() shim costs every chunk that loads it a createRequire(); only the chunk that
 * holds esbuild's CommonJS helper uses it. Where the word `require` appears nowhere else, the
 * shim is left out (its line stays, empty, so the source maps still line up).
 */
async function dropUnusedShim(file) {
  const text = await readFile(file, 'utf8');
  if (!text.startsWith(REQUIRE_SHIM)) return;
  const rest = text.slice(REQUIRE_SHIM.length);
  if (!/\brequire\b/.test(rest)) await writeFile(file, rest);
}

/**
 * Several test runs share one checkout and each builds: a chunk is removed only when this build
 * did not write it and it is old, never while a CLI started from an earlier build may need it.
 */
async function removeStaleChunks(current) {
  const names = await readdir(CHUNKS).catch(() => []);
  const now = Date.now();
  await Promise.all(
    names
      .filter((name) => !current.has(name))
      .map(async (name) => {
        const file = `${CHUNKS}/${name}`;
        const info = await stat(file).catch(() => undefined);
        if (info && now - info.mtimeMs > STALE_AFTER_MS) await unlink(file).catch(() => {});
      }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildCli();
}
