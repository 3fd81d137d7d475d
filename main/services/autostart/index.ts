export { desktopEntry, execArgument, execLine } from './desktop-entry.js';
export { HIDDEN_ARG } from './login-item.js';
export { autostartFile, readAutostart, xdgLoginItem } from './xdg.js';
