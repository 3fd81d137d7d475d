// The command `alicloud-signin exec` runs in test/cli/exec*.test.ts: a real consumer of what exec
// hands over. Alibaba's credentials SDK (its default chain, as any SDK client uses it) and ali-oss
// against the demo OSS server at $EXEC_TEST_OSS. One JSON line per report on stdout.
//   report              the credential variables it sees
//   sdk                 credentials from the SDK's default chain, then ListBuckets with them
//   renew SECONDS       sdk now and again after SECONDS; then ListBuckets with the first keys
//   trap MARKER CODE    writes the signal it gets to MARKER and exits CODE ("ready" once trapping)
//   scan                whether any process's command line holds the secrets it was given
//   probe               how its credentials URI answers good and bad requests
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const [mode, ...rest] = process.argv.slice(2);
const say = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);

const NAMES = [
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'ALIBABA_CLOUD_SECURITY_TOKEN',
  'ALIBABA_CLOUD_REGION_ID',
  'ALICLOUD_ACCESS_KEY',
  'ALICLOUD_SECRET_KEY',
  'ALICLOUD_SECURITY_TOKEN',
  'ALICLOUD_REGION',
  'ALICLOUD_SIGNIN_PROFILE',
  'ALIBABA_CLOUD_CREDENTIALS_URI',
  'ALIBABACLOUD_ACCESS_KEY_ID',
];

async function fromSdk() {
  const { default: Credential } = require('@alicloud/credentials');
  const credential = await new Credential().getCredential();
  return {
    provider: credential.providerName,
    accessKeyId: credential.accessKeyId,
    accessKeySecret: credential.accessKeySecret,
    securityToken: credential.securityToken,
  };
}

async function listBuckets(creds) {
  const OSS = require('ali-oss');
  const client = new OSS({
    accessKeyId: creds.accessKeyId,
    accessKeySecret: creds.accessKeySecret,
    stsToken: creds.securityToken,
    region: 'oss-cn-hangzhou',
    endpoint: process.env.EXEC_TEST_OSS,
    authorizationV4: true,
    // Only to keep ali-oss from warning that it cannot refresh; the SDK above is the refresher.
    refreshSTSToken: async () => ({ ...creds, stsToken: creds.securityToken }),
    refreshSTSTokenInterval: 3_600_000,
  });
  try {
    const page = await client.listBuckets({ 'max-keys': 1000 });
    return { ok: true, buckets: (page.buckets ?? []).length };
  } catch (error) {
    return { ok: false, code: error.code ?? error.name };
  }
}

async function sdkReport(at) {
  const creds = await fromSdk();
  return { at, provider: creds.provider, accessKeyId: creds.accessKeyId, list: await listBuckets(creds), creds };
}

/** One request with exactly these headers (fetch will not set Host); status and parsed body. */
function raw(url, { method = 'GET', headers = {} } = {}) {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: pathname, method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body) }));
    });
    req.on('error', reject);
    req.end();
  });
}

switch (mode) {
  case 'report':
    say(Object.fromEntries(NAMES.map((name) => [name, process.env[name] ?? null])));
    break;
  case 'sdk': {
    const { creds: _hidden, ...report } = await sdkReport(0);
    say(report);
    break;
  }
  case 'renew': {
    const seconds = Number(rest[0]);
    const first = await sdkReport(0);
    say({ ...first, creds: undefined });
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const later = await sdkReport(seconds);
    say({ ...later, creds: undefined });
    say({ at: seconds, firstKeysNow: await listBuckets(first.creds) });
    break;
  }
  case 'trap': {
    const [marker, code] = rest;
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR1']) {
      process.on(signal, () => {
        writeFileSync(marker, signal);
        process.exit(Number(code));
      });
    }
    setTimeout(() => {}, 600_000); // stays until the signal comes
    process.stdout.write('ready\n');
    break;
  }
  case 'scan': {
    const uri = process.env.ALIBABA_CLOUD_CREDENTIALS_URI;
    const secrets = [
      process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
      process.env.ALIBABA_CLOUD_SECURITY_TOKEN,
      uri ? uri.split('/').pop() : undefined,
    ].filter(Boolean);
    let scanned = 0;
    const found = [];
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      let cmdline;
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      } catch {
        continue; // gone meanwhile, or not ours to read
      }
      scanned += 1;
      if (secrets.some((secret) => cmdline.includes(secret))) found.push(pid);
    }
    say({ secrets: secrets.length, scanned, found });
    break;
  }
  case 'probe': {
    const uri = process.env.ALIBABA_CLOUD_CREDENTIALS_URI;
    const good = await raw(uri);
    const last = uri.at(-2) === 'A' ? 'B' : 'A';
    const wrong = `${uri.slice(0, -2)}${last}${uri.at(-1)}`;
    say({
      good: { status: good.status, keys: Object.keys(good.body), expiration: good.body.Expiration },
      wrongSecret: (await raw(wrong)).status,
      origin: (await raw(uri, { headers: { Origin: 'https://evil.example' } })).status,
      post: (await raw(uri, { method: 'POST' })).status,
      foreignHost: (await raw(uri, { headers: { Host: `evil.example:${new URL(uri).port}` } })).status,
    });
    break;
  }
  default:
    process.stderr.write(`unknown mode ${mode}\n`);
    process.exitCode = 64;
}
