/**
 * The `alicloud-signin` entry point. What can be answered with Node's built-ins is answered
 * before the full CLI (OIDC client, keychain binding, zod) loads: `credentials` and `exec` from a
 * running broker (the aliyun CLI runs `credentials` as its `process_command` for every call it
 * makes), and the completion scripts' `__complete`. Each fast path is imported only for its own
 * command, so the others pay for none of them. Everything else loads out/cli/main.mjs.
 */
const argv = process.argv.slice(2);

async function answered(): Promise<boolean> {
  switch (argv[0]) {
    case 'credentials':
      return (await import('../services/broker/fast-path.js')).credentialsFastPath(argv);
    case 'exec': {
      const status = await (await import('../services/exec/fast-path.js')).execFastPath(argv.slice(1));
      if (status === undefined) return false;
      process.exitCode = status;
      return true;
    }
    case '__complete':
      return (await import('./complete.js')).completeFastPath(argv);
    case undefined: // no command: the full CLI prints its usage
    default:
      return false;
  }
}

if (!(await answered())) await import(new URL('./main.mjs', import.meta.url).href);
