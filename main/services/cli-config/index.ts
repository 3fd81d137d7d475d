export {
  CLI_CONFIG_ENV,
  cliConfigPath,
  configTarget,
  loadCliConfig,
  parseCliConfig,
  renderCliConfig,
  saveCliConfig,
  type CliConfig,
  type CliProfile,
  type LoadedConfig,
} from './config-file.js';
export { cliProfileChanges, type FieldChange } from './changes.js';
export {
  dropWrittenBack,
  hasWrittenBackKeys,
  linkProfile,
  oauthProfiles,
  scrubProfile,
  SECRET_FIELDS,
  WRITTEN_BACK_FIELDS,
  type LinkTarget,
  type OAuthProfile,
} from './edit.js';
export {
  freeName,
  importCliProfiles,
  previewImport,
  type ImportDeps,
  type ImportItem,
  type ImportOptions,
  type ImportPreviewItem,
  type ImportResult,
} from './import.js';
export { linkCliProfile, relinkCredentialsUri, type LinkOptions, type LinkResult } from './link.js';
export { LinkedProfiles, type LinkedEntry } from './linked.js';
export {
  externalProcessCommand,
  WRAPPER_MARKER,
  type ProcessCommandPlan,
  type SelfCommand,
  type WrapperPlan,
} from './process-command.js';
export { repairLinks, type RepairOptions, type RepairResult } from './repair.js';
export { isPlainWord, splitOnWhiteSpace, splitShellStyle } from './split.js';
export {
  inspectLinks,
  ourCommandProfile,
  ourUriProfileId,
  statusJson,
  type CliLinkStatus,
  type Expectations,
  type FoundLink,
  type LinkProblem,
} from './status.js';
export { findOnPath, installWrapper, wrapperState, type InstalledWrapper, type WrapperState } from './wrapper.js';
