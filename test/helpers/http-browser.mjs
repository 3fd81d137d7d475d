// A cookie-jar "browser" over plain HTTPS requests: it walks the demo site's sign-in page the way
// a person would (GET the authorization URL, follow redirects, fill and submit the form) and stops
// at the redirect back to the application. One implementation, used by the tests (through
// http-browser.ts) and by browser.mjs (a $BROWSER stand-in). It never prints codes or tokens.
import { URL, URLSearchParams } from 'node:url';
import { Agent, EnvHttpProxyAgent, fetch } from 'undici';

const MAX_STEPS = 20;

/**
 * @param {string} authUrl
 * @param {{ ca?: string, proxy?: string, login?: string, password?: string, decision?: 'allow' | 'deny', followCallback?: boolean, timeoutMs?: number }} opts
 * @returns {Promise<{ finalUrl: string, callbackStatus?: number, callbackBody?: string }>}
 */
export async function completeLoginOverHttp(authUrl, opts = {}) {
  const tls = opts.ca ? { ca: opts.ca } : {};
  const timeouts = { headersTimeout: opts.timeoutMs ?? 30_000, bodyTimeout: opts.timeoutMs ?? 30_000 };
  // Through a proxy (the site tunnel that plays signin.aliyun.com), but never for the loopback callback.
  const dispatcher = opts.proxy
    ? new EnvHttpProxyAgent({
        httpsProxy: opts.proxy,
        httpProxy: '',
        noProxy: '127.0.0.1,localhost',
        connect: tls,
        requestTls: tls,
        ...timeouts,
      })
    : new Agent({ connect: tls, ...timeouts });
  const jar = new CookieJar();
  const start = new URL(authUrl);
  try {
    let response = await send(dispatcher, jar, start, { method: 'GET' });
    let url = start;
    let submitted = false;
    for (let step = 0; step < MAX_STEPS; step += 1) {
      if (isRedirect(response.status)) {
        const location = response.headers.get('location');
        await response.body?.cancel();
        if (!location) throw new Error(`The sign-in site answered ${response.status} without a Location.`);
        const next = new URL(location, url);
        if (next.origin !== start.origin) return await arrive(next, opts, dispatcher);
        url = next;
        response = await send(dispatcher, jar, url, { method: 'GET' });
        continue;
      }
      const html = await response.text();
      if (submitted) {
        throw new Error(`The sign-in page refused the login (HTTP ${response.status}): ${pageMessage(html)}`);
      }
      if (response.status !== 200) {
        throw new Error(`The sign-in site answered HTTP ${response.status}: ${pageMessage(html)}`);
      }
      const form = parseForm(html);
      if (!form) throw new Error('The sign-in page has no form.');
      const fields = new URLSearchParams(form.hidden);
      if (form.names.has('username')) fields.set('username', opts.login ?? 'alice');
      if (form.names.has('password')) fields.set('password', opts.password ?? 'demo-password');
      fields.set('decision', opts.decision ?? 'allow');
      url = new URL(form.action || url.pathname, url);
      response = await send(dispatcher, jar, url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url.origin },
        body: fields.toString(),
      });
      submitted = true;
    }
    throw new Error('Too many redirects on the sign-in site.');
  } finally {
    await dispatcher.close();
  }
}

async function arrive(target, opts, dispatcher) {
  const finalUrl = target.href;
  const isWeb = target.protocol === 'http:' || target.protocol === 'https:';
  if (opts.followCallback === false || !isWeb) return { finalUrl };
  const response = await fetch(target, { redirect: 'manual', dispatcher });
  return { finalUrl, callbackStatus: response.status, callbackBody: await response.text() };
}

async function send(dispatcher, jar, url, init) {
  const headers = { accept: 'text/html,application/xhtml+xml', ...init.headers };
  const cookie = jar.header(url);
  if (cookie) headers.cookie = cookie;
  const response = await fetch(url, { ...init, headers, redirect: 'manual', dispatcher });
  jar.store(url, response.headers.getSetCookie());
  return response;
}

function isRedirect(status) {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function pageMessage(html) {
  const match = /<p class="error"[^>]*>([\s\S]*?)<\/p>/i.exec(html) ?? /<title>([\s\S]*?)<\/title>/i.exec(html);
  return match ? decode(match[1]).trim() : 'no details';
}

/** The first form's action, its hidden fields, and the names of all its inputs. */
function parseForm(html) {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const action = attr(form[1], 'action');
  const hidden = [];
  const names = new Set();
  for (const input of form[2].matchAll(/<input\b([^>]*)>/gi)) {
    const name = attr(input[1], 'name');
    if (!name) continue;
    names.add(name);
    if ((attr(input[1], 'type') ?? '').toLowerCase() === 'hidden') hidden.push([name, attr(input[1], 'value') ?? '']);
  }
  return { action: action === undefined ? '' : action, hidden, names };
}

function attr(attributes, name) {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attributes);
  if (!match) return undefined;
  return decode(match[1] ?? match[2] ?? match[3] ?? '');
}

function decode(text) {
  return text
    .replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Host-only cookies with paths and expiry: enough for oidc-provider's interaction cookies. */
class CookieJar {
  /** @type {Map<string, { host: string, name: string, value: string, path: string, expires: number }>} */
  cookies = new Map();

  store(url, setCookies) {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const cookie = {
        host: url.host,
        name: pair.slice(0, eq).trim(),
        value: pair.slice(eq + 1).trim(),
        path: defaultPath(url),
        expires: Infinity,
      };
      for (const attribute of attributes) {
        const [key = '', value = ''] = attribute.split('=').map((part) => part.trim());
        const lower = key.toLowerCase();
        if (lower === 'path' && value.startsWith('/')) cookie.path = value;
        if (lower === 'expires') cookie.expires = Date.parse(value);
        if (lower === 'max-age') cookie.expires = Date.now() + Number(value) * 1000;
      }
      const key = `${cookie.host} ${cookie.path} ${cookie.name}`;
      if (cookie.expires <= Date.now()) this.cookies.delete(key);
      else this.cookies.set(key, cookie);
    }
  }

  header(url) {
    const now = Date.now();
    return [...this.cookies.values()]
      .filter((c) => c.host === url.host && c.expires > now && pathMatches(url.pathname, c.path))
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }
}

function defaultPath(url) {
  const slash = url.pathname.lastIndexOf('/');
  return slash <= 0 ? '/' : url.pathname.slice(0, slash);
}

function pathMatches(requestPath, cookiePath) {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}
