import { once } from 'node:events';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Services } from '../../services/context.js';
import { AppError } from '../../services/core/errors.js';
import { ensurePrivateDir } from '../../services/core/paths.js';
import {
  DEMO_CLIENT_ID,
  demoProfileInput,
  isDemoProfile,
  repointDemoProfile,
} from '../../services/app/demo-profile.js';
import { addProfile } from '../../services/app/profiles.js';
import type { CliIO } from '../io.js';
import { optionalName, usage } from '../args.js';

const SYNOPSIS = 'demo [NAME] [--buckets N] [--json]';
export const DEMO_DEFAULT_NAME = 'demo';
export const DEMO_DEFAULT_BUCKETS = 300;
/** The demo CA's certificate, in the data dir while the demo runs (removed when it stops). */
export const DEMO_CA_FILE = 'demo-ca.pem';

/** What `demo --json` prints on one line once the demo site is up. */
export interface DemoStarted {
  demo: true;
  profile: string;
  id: string;
  /** false: an existing demo profile was pointed at this run. */
  created: boolean;
  issuer: string;
  ossEndpoint: string;
  buckets: number;
  caFile: string;
  logins: string[];
  password: string;
  /** The demo STS (AssumeRole): `--sts-endpoint` of a role profile made from the demo profile. */
  stsEndpoint: string;
  /** Role ARNs the demo accounts hold (the second one is in another account and trusts the first). */
  roles: string[];
}

/**
 * `demo [NAME]`: the project's offline demo site, headless. Starts the Alibaba-shaped provider and the
 * OSS server on 127.0.0.1 (one throw-away CA), points a `demo` profile at them (made, or reused
 * when it is a demo profile already), says how to sign in, and runs until Ctrl+C. Nothing of it
 * starts unless this command is run; nothing of it reaches Alibaba Cloud.
 */
export async function demo(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { buckets: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const name = optionalName(positionals, SYNOPSIS) ?? DEMO_DEFAULT_NAME;
  const count = values.buckets === undefined ? DEMO_DEFAULT_BUCKETS : Number(values.buckets);
  // 0 is allowed: the window's and the CLI's "no buckets yet" states.
  if (!/^\d{1,6}$/.test(values.buckets ?? '0') || count > 100_000) {
    throw usage('--buckets takes a whole number from 0 to 100000.');
  }

  // A profile of that name must be a demo profile: never repoint someone's real profile.
  const existing = await services.store.get(name);
  if (existing && !isDemoProfile(existing)) {
    throw new AppError(
      'PROFILE_EXISTS',
      `A profile named "${existing.name}" exists and is not a demo profile; the demo never changes it. Choose another name: alicloud-signin demo NAME`,
    );
  }

  // Loaded only now: the demo site is never started (or even loaded) unless asked for.
  const [{ startDemoServers }, { DEMO_PASSWORD }, { roleArn }] = await Promise.all([
    import('../../demo/site.js'),
    import('../../demo/provider/users.js'),
    import('../../demo/sts-server/roles.js'),
  ]);
  const servers = await startDemoServers({ bucketCount: count, clientId: DEMO_CLIENT_ID });
  const { tls, provider, oss, sts: stsServer } = servers;
  const caFile = join(services.dataDir, DEMO_CA_FILE);
  try {
    const site = { endpoints: provider.endpoints, ossEndpoint: oss.url };
    const { profile, created } = existing
      ? { profile: await repointDemoProfile(services, existing, site), created: false }
      : { profile: await addProfile(services, demoProfileInput(name, site)), created: true };
    await ensurePrivateDir(services.dataDir);
    await writeFile(caFile, tls.ca, { mode: 0o644 });

    const started: DemoStarted = {
      demo: true,
      profile: profile.name,
      id: profile.id,
      created,
      issuer: provider.issuer,
      ossEndpoint: oss.url,
      buckets: count,
      caFile,
      logins: provider.users.map((user) => user.login),
      password: DEMO_PASSWORD,
      stsEndpoint: stsServer.url,
      roles: stsServer.roles.map((role) => roleArn(role)),
    };
    // Listen before saying "Ctrl+C": a signal sent the moment the words are read must stop the demo,
    // not kill the process with the servers open.
    const stopped = Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
    const words = instructions(started);
    if (values.json) {
      io.out(JSON.stringify(started));
      io.err(words);
    } else {
      io.out(words);
    }

    const signal = await stopped;
    io.err(`Demo stopped (${String(signal[0] ?? 'signal')}); its sign-ins ended with it.`);
  } finally {
    await servers.close();
    await rm(caFile, { force: true });
  }
}

/** A chain into the second account: the first account's role, then the role that trusts it. */
function roleInstructions(started: DemoStarted): string[] {
  const [reader, crossAccount] = started.roles;
  if (!reader || !crossAccount) return [];
  return [
    `  alicloud-signin profile add ${started.profile}-reader --assume-role ${reader} --from ${started.profile} --sts-endpoint ${started.stsEndpoint}`,
    `  alicloud-signin profile add ${started.profile}-cross --assume-role ${crossAccount} --from ${started.profile}-reader`,
    `  alicloud-signin buckets ${started.profile}-cross     (the second account's buckets)`,
    '(Role profiles keep this run’s STS address; add them again after the next demo start.)',
  ];
}

function instructions(started: DemoStarted): string {
  const logins = started.logins.join(', ');
  return [
    'DEMO: the offline demo site of alicloud-signin is running on this computer (127.0.0.1 only).',
    'It is for trying the app: nothing here reaches Alibaba Cloud, and no real account is involved.',
    '',
    `  profile   ${started.profile} (${started.created ? 'created' : 'reused, pointed at this run'})`,
    `  sign-in   ${started.issuer}  (an Alibaba-shaped OAuth site)`,
    `  OSS       ${started.ossEndpoint}  (${started.buckets} buckets)`,
    `  demo CA   ${started.caFile}`,
    '',
    'Its certificates come from a CA made just now. In another terminal, trust it and sign in:',
    `  export NODE_EXTRA_CA_CERTS=${started.caFile}`,
    `  alicloud-signin login ${started.profile}`,
    `  alicloud-signin buckets ${started.profile}`,
    '(If you already set NODE_EXTRA_CA_CERTS, add the demo CA to that file instead.)',
    `In the browser, continue past the certificate warning, then sign in as one of ${logins}`,
    `(a RAM user, the account, a RAM role) with the password ${started.password}.`,
    '',
    `Roles (STS AssumeRole at ${started.stsEndpoint}), once signed in as alice:`,
    ...roleInstructions(started),
    '',
    'The demo runs until Ctrl+C; its sign-ins end with it.',
  ].join('\n');
}
