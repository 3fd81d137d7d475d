// Lists N buckets (default 10,000) from the demo OSS server with our client and with ali-oss,
// and prints the time per full listing. Usage: node bench/oss-list.mjs [count] [rounds]
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { register } from 'tsx/esm/api';

register();
const { startOssServer } = await import('../main/demo/oss-server/index.ts');
const { StsRegistry } = await import('../main/demo/sts-registry.ts');
const { createFetch } = await import('../main/services/net/http.ts');
const { listBuckets } = await import('../main/services/oss/list-buckets.ts');
const OSS = createRequire(import.meta.url)('ali-oss');

const count = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 5);
const sts = new StsRegistry();
const server = await startOssServer({ sts, seed: { count } });
const creds = sts.issue('bench', '1', 3600);

async function ours() {
  const result = await listBuckets({
    fetch: createFetch(),
    endpoint: server.url,
    region: 'cn-hangzhou',
    credentials: async () => creds,
  });
  return result.buckets.length;
}

async function aliOss() {
  const client = new OSS({
    accessKeyId: creds.accessKeyId,
    accessKeySecret: creds.accessKeySecret,
    stsToken: creds.securityToken,
    region: 'oss-cn-hangzhou',
    endpoint: server.url,
    authorizationV4: true,
    refreshSTSToken: async () => ({ ...creds, stsToken: creds.securityToken }),
    refreshSTSTokenInterval: 3_600_000,
  });
  let total = 0;
  let marker;
  for (;;) {
    const page = await client.listBuckets(marker ? { 'max-keys': 1000, marker } : { 'max-keys': 1000 });
    total += page.buckets?.length ?? 0;
    if (!page.isTruncated) return total;
    marker = page.nextMarker;
  }
}

for (const [name, run] of [
  ['listBuckets (ours)', ours],
  ['ali-oss listBuckets', aliOss],
]) {
  await run(); // warm up
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    const n = await run();
    times.push(performance.now() - started);
    if (n !== count) throw new Error(`${name} listed ${n}, expected ${count}`);
  }
  times.sort((a, b) => a - b);
  console.log(`${name}: ${count} buckets, median ${times[Math.floor(rounds / 2)].toFixed(1)} ms over ${rounds} rounds`);
}
console.log(`server requests: ${server.requests}`);
await server.close();
