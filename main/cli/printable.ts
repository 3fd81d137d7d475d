/**
 * C0 and C1 control characters, DEL, and the Unicode controls that reorder text (bidi marks,
 * overrides and isolates, line and paragraph separators). A terminal acts on them: ESC starts
 * sequences that retitle the window, clear the screen or rewrite what was printed before.
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
/** The part of CONTROLS that JSON.stringify leaves raw (it escapes C0 itself). */
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * A value that came from a server (ID token claims, callback error text, OSS fields, request IDs)
 * made safe to print on one line: every control character is dropped, so a claim such as
 * `ESC ]0;title BEL` prints as inert text.
 */
export function printable(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(CONTROLS, '');
}

/** Like `printable`, but keeps the line breaks and tabs of our own multi-line words. */
export function printableText(text: string): string {
  return text.replace(CONTROLS, (char) => (char === '\n' || char === '\t' ? char : ''));
}

/** JSON text with those characters as `\uXXXX` escapes: the same value, nothing a terminal acts on. */
export function escapeControls(jsonText: string): string {
  return jsonText.replace(RAW_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
