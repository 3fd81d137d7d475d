const formats = new Map<string, Intl.DateTimeFormat>();

/** "2026-03-02 12:04:31" in the window's language (the formatter is made once per language). */
export function dateTime(iso: string, language: string): string {
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return iso;
  let format = formats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'medium' });
    formats.set(language, format);
  }
  return format.format(at);
}
