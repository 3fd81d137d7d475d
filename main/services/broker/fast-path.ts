import { askBroker } from './client.js';
import type { CredentialsFormat } from './local-protocol.js';
import { renderCredentials } from './render.js';

const FORMATS: readonly string[] = ['external', 'json', 'env'];

/**
 * `credentials [NAME] [--format external|json|env]` answered by a running broker before the rest
 * of the CLI (the OIDC client, the keychain binding, zod) is even loaded, so the aliyun CLI's
 * `process_command` costs little more than starting Node. True when it printed the answer;
 * false for anything else (no broker, another command, a flag it does not know, any error, a
 * broker that failed its checks), and the full CLI then runs as usual and says what is wrong.
 */
export async function credentialsFastPath(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  const request = parseCredentialsArgs(argv);
  if (!request) return false;
  try {
    const answer = await askBroker(request.name, { env, format: request.format });
    if (!answer) return false;
    // Rendered here from the fields the client checked, never from text the broker sent.
    process.stdout.write(`${renderCredentials(request.format, answer.profile, answer.credentials)}\n`);
    return true;
  } catch {
    return false;
  }
}

/** Only the plain forms; anything unusual goes to the full CLI. */
export function parseCredentialsArgs(
  argv: readonly string[],
): { name: string | undefined; format: CredentialsFormat } | undefined {
  if (argv[0] !== 'credentials') return undefined;
  let name: string | undefined;
  let format: CredentialsFormat = 'external';
  for (let i = 1; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    const value =
      arg === '--format' ? argv[(i += 1)] : arg.startsWith('--format=') ? arg.slice('--format='.length) : undefined;
    if (value !== undefined) {
      if (!FORMATS.includes(value)) return undefined;
      format = value as CredentialsFormat;
    } else if (arg.startsWith('-') || name !== undefined || arg === '') return undefined;
    else name = arg;
  }
  return { name, format };
}
