export { desktopEntry, entryEnabled, escapeStringValue, execArgument, execLine, type AutostartEntry } from './desktop-entry.js';
export { HIDDEN_ARG, NO_LOGIN_ITEM, type LoginItem } from './login-item.js';
export { AUTOSTART_FILE_NAME, autostartFile, readAutostart, removeAutostart, writeAutostart, xdgLoginItem, type XdgLoginItemOptions } from './xdg.js';
