import { buildCli } from '../scripts/build-cli.mjs';

/** The CLI tests run the built bundle, as a person would, so build it once per run. */
export default async function setup(): Promise<void> {
  if (process.env.SKIP_CLI_BUILD === '1') return;
  await buildCli();
}
