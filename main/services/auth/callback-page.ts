/** The short page the browser shows after the redirect, in the person's language. */
export type PageOutcome = 'success' | 'denied' | 'failed' | 'stray';

const WORDS = {
  en: {
    success: ['Signed in', 'You are signed in to AliCloud Sign-in. You can close this tab.'],
    denied: ['Sign-in cancelled', 'The request was refused, so nothing was stored. You can close this tab.'],
    failed: [
      'Sign-in failed',
      'AliCloud Sign-in could not use this answer. Return to the app for details; you can close this tab.',
    ],
    stray: [
      'Not this sign-in',
      'This address does not belong to the sign-in AliCloud Sign-in is waiting for, so it was ignored. If you are signing in, finish in the tab the app opened.',
    ],
  },
  zh: {
    success: ['登录成功', '您已登录 AliCloud Sign-in，可以关闭此标签页。'],
    denied: ['已取消登录', '授权请求被拒绝，未保存任何内容。可以关闭此标签页。'],
    failed: ['登录失败', 'AliCloud Sign-in 无法使用此次返回的结果，请回到应用查看详情。可以关闭此标签页。'],
    stray: [
      '不属于本次登录',
      '此地址不属于 AliCloud Sign-in 正在等待的登录，已被忽略。如果您正在登录，请在应用打开的标签页中完成。',
    ],
  },
} as const;

/** Picks zh for any zh-* preference that comes before English in Accept-Language. */
export function pickLanguage(acceptLanguage: string | undefined): 'en' | 'zh' {
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.trim().toLowerCase();
    if (tag.startsWith('zh')) return 'zh';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

export function callbackPage(outcome: PageOutcome, lang: 'en' | 'zh'): string {
  const [title, body] = WORDS[lang][outcome];
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width">
<style>body{font:16px system-ui,sans-serif;max-width:32em;margin:4em auto;padding:0 1em;color:#222}
@media (prefers-color-scheme:dark){body{background:#1d1d1f;color:#eee}}</style></head>
<body><h1>${title}</h1><p>${body}</p></body></html>`;
}

/** No script, no external anything, no referrer for the code-bearing URL. */
export const CALLBACK_PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};
