import { escapeHtml } from './http-util.js';

export interface LoginPageModel {
  /** Where the form posts (the interaction's own path, which its cookie is scoped to). */
  action: string;
  clientId: string;
  scopes: readonly string[];
  /** Ask for a login and password (no signed-in session yet). */
  askCredentials: boolean;
  /** Who is already signed in, when `askCredentials` is false. */
  signedInAs?: string;
  /** Shown above the form, e.g. after a wrong password. */
  message?: string;
  /** Keeps what the person typed as login after a failed attempt. */
  login?: string;
}

/** No script at all; the inline style is allowed by the page's CSP, nothing else is. */
export const LOGIN_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

const STYLE = `
body { font-family: system-ui, sans-serif; background: #f5f6f8; margin: 0; }
main { max-width: 26rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px;
  box-shadow: 0 1px 4px rgba(0,0,0,.12); }
h1 { font-size: 1.25rem; margin: 0 0 1rem; color: #ff6a00; }
label { display: block; margin: .75rem 0 .25rem; }
input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .5rem; }
ul { padding-left: 1.25rem; } code { font-size: .9em; }
.error { color: #b00020; } .actions { display: flex; gap: .75rem; margin-top: 1.25rem; }
button { padding: .5rem 1.25rem; }
`;

export function renderLoginPage(model: LoginPageModel): string {
  const scopes = model.scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('');
  const message = model.message ? `<p class="error" role="alert">${escapeHtml(model.message)}</p>` : '';
  const who = model.askCredentials
    ? `<label for="username">Login name</label>
<input type="text" id="username" name="username" autocomplete="username" value="${escapeHtml(model.login ?? '')}" autofocus>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password">`
    : `<p>Signed in as <strong>${escapeHtml(model.signedInAs ?? '')}</strong>.</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in - Alibaba Cloud (demo)</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Alibaba Cloud sign-in (demo site)</h1>
${message}
<p>The application <code>${escapeHtml(model.clientId)}</code> asks for:</p>
<ul>${scopes}</ul>
<form method="post" action="${escapeHtml(model.action)}">
${who}
<div class="actions">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
</div>
</form>
</main>
</body>
</html>
`;
}

export function renderErrorPage(title: string, description: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(title)}</h1><p class="error">${escapeHtml(description)}</p></main></body>
</html>
`;
}
