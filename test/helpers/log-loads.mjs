// `node --import ./log-loads.mjs`: appends every module URL the process resolves to $LOAD_LOG,
// so tests can see what a CLI command loaded (test/cli/exec-loading.test.ts).
import { register } from 'node:module';

register(new URL('./log-loads-hooks.mjs', import.meta.url));
