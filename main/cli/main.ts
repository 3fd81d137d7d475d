/**
 * The full CLI's entry (bundled as out/cli/main.mjs, which the launcher loads when no fast path
 * answered): runs the command line it was started with. index.ts only defines `run`, so tests and
 * the completion scripts' checks can import it without starting anything.
 */
import { isolateKeychainCalls } from '../services/secrets/isolation.js';
import { run } from './index.js';

// Keychain calls in a helper process: one stuck on an unlock prompt would otherwise keep this
// process alive after its result or coded error, even through process.exit() (measured: Node
// joins the libuv worker thread the call holds). The helper is killed when this process exits.
isolateKeychainCalls();
// exitCode, not exit(): a large piped stdout would otherwise be cut short.
process.exitCode = await run(process.argv.slice(2));
