// Lists N buckets (default 10,000) from the project's OSS server, in the same run:
//   ours    listBuckets: every page fetched, V4-signed, parsed into Bucket objects
//   served  the same signed page requests, bodies read but not parsed: the server's own time
//           to serve them, plus the transport both share
//   ali-oss the same listing through ali-oss (authorizationV4), for comparison
// and prints median times, the ratio ours/served (goal <= 1.3x) and peak memory.
// Usage: node bench/oss-list.mjs [count] [rounds]   (defaults: 10000 15)
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { register } from 'tsx/esm/api';

register();
const { startOssServer } = await import('../main/demo/oss-server/index.ts');
const { StsRegistry } = await import('../main/demo/sts-registry.ts');
const { createFetch } = await import('../main/services/net/http.ts');
const { listBuckets } = await import('../main/services/oss/list-buckets.ts');
const { canonicalQuery, signV4 } = await import('../main/services/oss/sign-v4.ts');
const OSS = createRequire(import.meta.url)('ali-oss');

const count = Number(process.argv[2] ?? 10_000);
// 15 rounds: on a shared 2-core machine, a median of 7 still moved by 0.3x from run to run.
const rounds = Number(process.argv[3] ?? 15);
const sts = new StsRegistry();
const server = await startOssServer({ sts, seed: { count } });
const creds = sts.issue('bench', '1', 3600);
const fetch = createFetch();
const PAGE = 1000;

/** Peak heap seen while `fn` runs (sampled), on top of what was in use when it started. */
async function withHeapPeak(fn) {
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 2);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return { value, heapPeak: peak - base };
  } finally {
    clearInterval(timer);
  }
}

async function ours() {
  const result = await listBuckets({
    fetch,
    endpoint: server.url,
    region: 'cn-hangzhou',
    credentials: async () => creds,
  });
  return result.buckets.length;
}

/** The same requests, signed the same way, bodies read as text and only scanned for NextMarker. */
async function served() {
  let marker;
  let total = 0;
  for (;;) {
    const query = [['max-keys', String(PAGE)]];
    if (marker !== undefined) query.push(['marker', marker]);
    const signed = signV4({
      method: 'GET',
      query,
      headers: {},
      accessKeyId: creds.accessKeyId,
      accessKeySecret: creds.accessKeySecret,
      securityToken: creds.securityToken,
      region: 'cn-hangzhou',
      date: new Date(),
    });
    const url = new URL(server.url);
    url.search = canonicalQuery(query);
    const response = await fetch(url, { headers: signed.headers });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
    const next = /<NextMarker>([^<]*)<\/NextMarker>/.exec(text);
    total += Math.min(PAGE, count - total);
    if (!next) return total;
    marker = next[1];
  }
}

const aliClient = new OSS({
  accessKeyId: creds.accessKeyId,
  accessKeySecret: creds.accessKeySecret,
  stsToken: creds.securityToken,
  region: 'oss-cn-hangzhou',
  endpoint: server.url,
  authorizationV4: true,
  refreshSTSToken: async () => ({ ...creds, stsToken: creds.securityToken }),
  refreshSTSTokenInterval: 3_600_000,
});

async function aliOss() {
  let total = 0;
  let marker;
  for (;;) {
    const page = await aliClient.listBuckets(marker ? { 'max-keys': PAGE, marker } : { 'max-keys': PAGE });
    total += page.buckets?.length ?? 0;
    if (!page.isTruncated) return total;
    marker = page.nextMarker;
  }
}

const runs = { ours, served, 'ali-oss': aliOss };
const times = Object.fromEntries(Object.keys(runs).map((name) => [name, []]));
const heap = Object.fromEntries(Object.keys(runs).map((name) => [name, 0]));
for (const run of Object.values(runs)) await run(); // warm up every path (JIT, connections)

// Interleaved rounds, so drift in machine load touches every path alike.
for (let i = 0; i < rounds; i++) {
  for (const [name, run] of Object.entries(runs)) {
    const started = performance.now();
    const { value, heapPeak } = await withHeapPeak(run);
    times[name].push(performance.now() - started);
    heap[name] = Math.max(heap[name], heapPeak);
    if (value !== count) throw new Error(`${name} listed ${value}, expected ${count}`);
  }
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const pages = Math.ceil(count / PAGE);
const m = Object.fromEntries(Object.entries(times).map(([name, list]) => [name, median(list)]));
console.log(`${count} buckets, ${pages} pages of ${PAGE}, ${rounds} interleaved rounds, Node ${process.version}`);
console.log(`  served (fetch + read, no parse):  median ${m.served.toFixed(1)} ms`);
console.log(`  ours (fetch + parse, listBuckets): median ${m.ours.toFixed(1)} ms, peak heap +${mb(heap.ours)}`);
console.log(
  `  ali-oss listBuckets (V4):          median ${m['ali-oss'].toFixed(1)} ms, peak heap +${mb(heap['ali-oss'])}`,
);
const ratio = m.ours / m.served;
console.log(`  ratio ours/served: ${ratio.toFixed(2)}x (goal <= 1.3x: ${ratio <= 1.3 ? 'met' : 'NOT met'})`);
console.log(`  peak RSS of the process (server included): ${mb(process.resourceUsage().maxRSS * 1024)}`);
console.log(`  server requests: ${server.requests}`);
await server.close();
