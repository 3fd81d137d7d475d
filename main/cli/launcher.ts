/**
 * The `alicloud-signin` entry point. `credentials` answered by a running broker needs nothing but
 * Node's built-ins, so it is tried before the full CLI (OIDC client, keychain binding, zod) loads:
 * the aliyun CLI runs this as its `process_command` for every call it makes.
 */
import { credentialsFastPath } from '../services/broker/fast-path.js';

if (!(await credentialsFastPath(process.argv.slice(2)))) {
  await import(new URL('./main.mjs', import.meta.url).href);
}
