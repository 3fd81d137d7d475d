/**
 * The `alicloud-signin` entry point. What can be answered with Node's built-ins is answered
 * before the full CLI (OIDC client, keychain binding, zod) loads: `credentials` and `exec` from a
 * running broker (the aliyun CLI runs `credentials` as its `process_command` for every call it
 * makes), and the completion scripts' `__complete`. Everything else loads out/cli/main.mjs.
 */
import { completeFastPath } from './complete.js';
import { credentialsFastPath } from '../services/broker/fast-path.js';

const argv = process.argv.slice(2);
let answered = false;
if (argv[0] === 'exec') {
  // Its own chunk: spawning, signals and the one-off URI server cost `credentials` nothing.
  const status = await (await import('../services/exec/fast-path.js')).execFastPath(argv.slice(1));
  if (status !== undefined) {
    process.exitCode = status;
    answered = true;
  }
} else answered = (await completeFastPath(argv)) || (await credentialsFastPath(argv));
if (!answered) await import(new URL('./main.mjs', import.meta.url).href);
