export {
  CLI_CONFIG_ENV,
  cliConfigPath,
  loadCliConfig,
  parseCliConfig,
  renderCliConfig,
  saveCliConfig,
  type CliConfig,
  type CliProfile,
  type LoadedConfig,
} from './config-file.js';
export { linkProfile, oauthProfiles, scrubProfile, SECRET_FIELDS, type LinkTarget, type OAuthProfile } from './edit.js';
export {
  freeName,
  importCliProfiles,
  type ImportDeps,
  type ImportItem,
  type ImportOptions,
  type ImportResult,
} from './import.js';
export { linkCliProfile, relinkCredentialsUri, type LinkOptions, type LinkResult } from './link.js';
export { externalProcessCommand, type SelfCommand } from './process-command.js';
