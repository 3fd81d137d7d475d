import { spawn } from 'node:child_process';

/** Opens a URL in the person's browser. Injected, so tests and the desktop shell supply their own. */
export type BrowserOpener = (url: string) => Promise<void>;

/**
 * `$BROWSER <url>` when set (as git and gh do), else the platform's opener. It does not wait
 * for the browser to exit: the sign-in waits for the callback instead.
 */
export function systemBrowserOpener(env: NodeJS.ProcessEnv = process.env, platform = process.platform): BrowserOpener {
  return async (url) => {
    const [command, ...args] = openerCommand(url, env, platform);
    if (!command) throw new Error('no browser opener');
    await new Promise<void>((resolve, reject) => {
      const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'], detached: true, env });
      child.once('error', reject);
      child.once('spawn', () => {
        child.unref();
        resolve();
      });
    });
  };
}

function openerCommand(url: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const browser = env.BROWSER?.trim();
  if (browser) return [...splitCommand(browser), url];
  if (platform === 'darwin') return ['open', url];
  // rundll32 takes the URL as one argument, with none of cmd.exe's `&` parsing.
  if (platform === 'win32') return ['rundll32', 'url.dll,FileProtocolHandler', url];
  return ['xdg-open', url];
}

/** Splits `$BROWSER` on spaces, honouring single and double quotes (no other shell syntax). */
function splitCommand(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: '"' | "'" | undefined;
  let inWord = false;
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}
