import { readXml, type XmlVisitor } from '../../main/services/oss/xml.js';

/** A visitor that writes what it is told into `out`: `<name>`, a JSON string for text, `</>`. */
export function recordEvents(out: string[]): XmlVisitor {
  return {
    open: (name) => out.push(`<${name}>`),
    text: (value) => out.push(JSON.stringify(value)),
    close: () => out.push('</>'),
  };
}

/** Everything readXml reports for `text`, as a list of events. */
export function xmlEvents(text: string): string[] {
  const out: string[] = [];
  readXml(text, recordEvents(out));
  return out;
}
