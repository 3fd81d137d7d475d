/** The id of the rules the data files are checked by (see checked-rules.mjs). */
export function checkedRulesId(): string;
/** `{ __CHECKED_FILES_RULES__: '"<id>"' }`, for a bundler's `define`. */
export function checkedRulesDefine(): Record<string, string>;
