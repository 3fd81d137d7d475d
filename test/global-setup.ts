import { buildCli } from '../scripts/build-cli.mjs';

/** The CLI tests run the built bundle, as a person would, so build it once per run. */
export default async function setup(): Promise<void> {
  await buildCli();
}
