export { cliConfigPath, configTarget, parseCliConfig } from './config-file.js';
export { linkProfile, scrubProfile } from './edit.js';
export { linkCliProfile, relinkCredentialsUri } from './link.js';
export { externalProcessCommand } from './process-command.js';
export { splitOnWhiteSpace, splitShellStyle } from './split.js';
export { ourCommandProfile, statusJson, type LinkProblem } from './status.js';
export { installWrapper, wrapperState } from './wrapper.js';
