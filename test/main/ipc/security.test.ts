import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assetHeaders,
  contentSecurityPolicy,
  isTrustedSender,
  originOf,
  RENDERER_ENTRY,
  RENDERER_ORIGIN,
  resolveAsset,
  withCspMeta,
} from '../../../main/ipc/security.js';

describe('content security policy', () => {
  const header = contentSecurityPolicy('header');
  const directives = new Map(header.split('; ').map((part) => [part.split(' ')[0], part.slice(part.indexOf(' ') + 1)]));

  it('allows only our own files, no inline script, no eval, no frames or form posts', () => {
    expect(directives.get('default-src')).toBe("'self'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(directives.get('form-action')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(header).not.toMatch(/unsafe-inline|unsafe-eval|\*|http:|https:/);
  });

  it('leaves frame-ancestors (header-only) out of the meta form', () => {
    expect(contentSecurityPolicy('meta')).not.toContain('frame-ancestors');
    expect(contentSecurityPolicy('meta')).toContain("default-src 'self'");
  });

  it('goes into the built page right after the charset, before any script', () => {
    const html = withCspMeta(
      '<!doctype html><html><head>\n<meta charset="utf-8" />\n<script type="module" src="./x.js"></script></head></html>',
    );
    const meta = html.indexOf('http-equiv="Content-Security-Policy"');
    expect(meta).toBeGreaterThan(html.indexOf('charset'));
    expect(meta).toBeLessThan(html.indexOf('<script'));
    expect(html).toContain(`content="${contentSecurityPolicy('meta')}"`);
    expect(() => withCspMeta('<p>no head</p>')).toThrow();
  });

  it('is sent with every file the renderer scheme serves', () => {
    expect(assetHeaders('text/html')).toMatchObject({
      'Content-Security-Policy': header,
      'X-Content-Type-Options': 'nosniff',
    });
  });
});

describe('sender check', () => {
  const ours = new Set([7]);
  const sender = { webContentsId: 7, frameUrl: `${RENDERER_ORIGIN}/index.html`, isMainFrame: true };

  it('accepts the main frame of our window on our origin', () => {
    expect(isTrustedSender(sender, ours)).toBe(true);
    expect(isTrustedSender({ ...sender, frameUrl: RENDERER_ENTRY + '#x' }, ours)).toBe(true);
  });

  it('refuses other windows, subframes, other origins and gone frames', () => {
    expect(isTrustedSender({ ...sender, webContentsId: 8 }, ours)).toBe(false);
    expect(isTrustedSender({ ...sender, isMainFrame: false }, ours)).toBe(false);
    expect(isTrustedSender({ ...sender, frameUrl: 'https://evil.example/index.html' }, ours)).toBe(false);
    expect(isTrustedSender({ ...sender, frameUrl: 'app://other-host/index.html' }, ours)).toBe(false);
    expect(isTrustedSender({ ...sender, frameUrl: 'file:///app/out/renderer/index.html' }, ours)).toBe(false);
    expect(isTrustedSender({ ...sender, frameUrl: undefined }, ours)).toBe(false);
    expect(isTrustedSender({ ...sender, frameUrl: 'not a url' }, ours)).toBe(false);
  });

  it('accepts the dev server only when it is listed', () => {
    const dev = { ...sender, frameUrl: 'http://localhost:5173/' };
    expect(isTrustedSender(dev, ours)).toBe(false);
    expect(isTrustedSender(dev, ours, [RENDERER_ORIGIN, 'http://localhost:5173'])).toBe(true);
  });

  it('compares custom-scheme origins by scheme and host (Node calls them opaque)', () => {
    expect(new URL(RENDERER_ENTRY).origin).toBe('null');
    expect(originOf(RENDERER_ENTRY)).toBe(RENDERER_ORIGIN);
    expect(originOf('data:text/html,hi')).toBeUndefined();
  });
});

describe('renderer files', () => {
  it('serves only files under the renderer folder, of known types', () => {
    const root = path.resolve('/app/out/renderer');
    expect(resolveAsset(root, `${RENDERER_ORIGIN}/`)).toEqual({
      file: path.join(root, 'index.html'),
      mime: 'text/html; charset=utf-8',
    });
    expect(resolveAsset(root, `${RENDERER_ORIGIN}/assets/index-abc.js`)?.mime).toBe('text/javascript; charset=utf-8');
    expect(resolveAsset(root, `${RENDERER_ORIGIN}/..%2f..%2fmain/index.js`)).toBeUndefined();
    // The URL parser already folds dot segments at the root: it stays inside.
    expect(resolveAsset(root, `${RENDERER_ORIGIN}/assets/%2e%2e/%2e%2e/x.js`)?.file).toBe(path.join(root, 'x.js'));
    expect(resolveAsset(root, `${RENDERER_ORIGIN}/a%00.js`)).toBeUndefined();
    expect(resolveAsset(root, `${RENDERER_ORIGIN}/secret.pem`)).toBeUndefined();
    expect(resolveAsset(root, 'app://elsewhere/index.html')).toBeUndefined();
    expect(resolveAsset(root, 'file:///etc/passwd')).toBeUndefined();
  });
});
