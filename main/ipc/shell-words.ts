/** The few words main itself shows (tray menu, notifications), in the window's two languages. */
export type ShellLanguage = 'en' | 'zh-CN';

export const SHELL_WORDS = {
  en: {
    app: 'AliCloud Sign-in',
    open: 'Open AliCloud Sign-in',
    quit: 'Quit',
    signIn: (name: string) => `Sign in to ${name}…`,
    signOut: (name: string) => `Sign out of ${name}`,
    noProfiles: 'No profiles yet',
    status: {
      'signed-in': 'signed in',
      'expires-soon': 'expires soon',
      attention: 'needs attention',
      'signed-out': 'signed out',
    },
    expiresIn: (left: string) => `expires in ${left}`,
    refreshEnding: (name: string, left: string) =>
      `The sign-in of ${name} ends in ${left}. Sign in again to keep using it.`,
    stsEnding: (name: string, left: string) =>
      `The temporary credentials of ${name} run out in ${left}; they are renewed on next use.`,
    noticeTitle: 'Sign-in ending soon',
  },
  'zh-CN': {
    app: '阿里云登录',
    open: '打开阿里云登录',
    quit: '退出',
    signIn: (name: string) => `登录 ${name}…`,
    signOut: (name: string) => `退出 ${name}`,
    noProfiles: '还没有配置',
    status: { 'signed-in': '已登录', 'expires-soon': '即将过期', attention: '需要处理', 'signed-out': '未登录' },
    expiresIn: (left: string) => `${left}后过期`,
    refreshEnding: (name: string, left: string) => `${name} 的登录将在 ${left}后失效。请重新登录以继续使用。`,
    stsEnding: (name: string, left: string) => `${name} 的临时凭证将在 ${left}后过期；下次使用时会自动续期。`,
    noticeTitle: '登录即将过期',
  },
} as const;

export function shellLanguage(locale: string): ShellLanguage {
  return locale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** "3 days", "5 hours", "12 minutes" (or the same in Chinese): rounded to one whole unit, never under a minute. */
export function roundedDuration(ms: number, language: ShellLanguage): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  const [value, unit] =
    minutes >= 2 * 24 * 60
      ? [Math.round(minutes / 1440), 'day']
      : minutes >= 120
        ? [Math.round(minutes / 60), 'hour']
        : [minutes, 'minute'];
  if (language === 'zh-CN') return `${value} ${{ day: '天', hour: '小时', minute: '分钟' }[unit]}`;
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}
