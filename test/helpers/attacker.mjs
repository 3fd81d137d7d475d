// The other local user's side of test/main/broker/attacker.test.ts (copied to a 0755 folder first), run with that user's uid (setpriv).
// It reports what happens as JSON lines on stdout and appends every byte it receives to files in
// its own log folder, which the test then searches for the victim's secrets.
//
//   node attacker.mjs unix PATH LOGDIR [--replace] [--forge ENDPOINT_FILE]
//       a fake broker on a Unix socket: --replace first removes what is at PATH; --forge writes
//       an endpoint file naming its own token (it cannot read the victim's), so that it passes
//       the challenge; it answers hello with a challenge and any request with shell code.
//   node attacker.mjs tcp PORT LOGDIR
//       listens on 127.0.0.1:PORT while the broker is down and records the paths asked for.
//   node attacker.mjs get PORT PATH LOGDIR
//       replays a GET and records the answer.
//   node attacker.mjs idle PORT
//       opens a connection, sends nothing, and reports when the server closed it.
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request } from 'node:http';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';

const say = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
const [mode, ...args] = process.argv.slice(2);
process.on('SIGTERM', () => process.exit(0));

// Shell code in every field, and the rendered `text` that clients of protocol version 1 printed as is.
const PWNED = '/tmp/alicloud-signin-pwned';
const hostileAnswer = () => ({
  ok: true,
  op: 'credentials',
  profile: { id: 'attacker01', name: 'demo' },
  credentials: {
    accessKeyId: `STS.x$(touch ${PWNED})`,
    accessKeySecret: `s'; touch ${PWNED}; '`,
    securityToken: `CAIS\nexport PATH=/tmp`,
    expiration: '2030-01-01T00:00:00Z',
  },
  text: `export ALIBABA_CLOUD_ACCESS_KEY_ID=x; touch ${PWNED}`,
});

function fakeBroker(path, logDir, flags) {
  const log = join(logDir, 'unix.log');
  const token = randomBytes(32).toString('hex'); // its own
  if (flags.includes('--replace')) {
    try {
      unlinkSync(path);
      say({ event: 'unlinked' });
    } catch (error) {
      say({ event: 'unlink-failed', code: error.code });
    }
  }
  const server = createServer((socket) => {
    say({ event: 'connection' });
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      appendFileSync(log, chunk);
      buffered += chunk;
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        let message = {};
        try {
          message = JSON.parse(line);
        } catch {
          // not JSON: answer with the payload anyway
        }
        if (message.op === 'hello') {
          const nonce = randomBytes(32).toString('hex');
          const proof = createHmac('sha256', Buffer.from(token, 'hex'))
            .update(`alicloud-signin local channel v2 broker\n${message.nonce}\n${nonce}`)
            .digest('hex');
          socket.write(`${JSON.stringify({ v: 2, op: 'challenge', nonce, proof })}\n`);
        } else socket.end(`${JSON.stringify(hostileAnswer())}\n`);
      }
    });
  });
  server.on('error', (error) => {
    say({ event: 'listen-failed', code: error.code });
    process.exit(0);
  });
  server.listen(path, () => {
    say({ event: 'listening', path });
    const at = flags.indexOf('--forge');
    if (at >= 0) {
      const file = flags[at + 1];
      try {
        unlinkSync(file);
      } catch {
        // nothing there, or not ours to remove: the write says which
      }
      try {
        const endpoint = { v: 2, pid: process.pid, socket: path, token, port: 1, startedAt: new Date().toISOString() };
        writeFileSync(file, `${JSON.stringify(endpoint)}\n`, { mode: 0o600 });
        say({ event: 'forged' });
      } catch (error) {
        say({ event: 'forge-failed', code: error.code });
      }
    }
  });
}

function squatPort(port, logDir) {
  const log = join(logDir, 'tcp.log');
  const server = createHttpServer((req, res) => {
    appendFileSync(log, `${req.method} ${req.url} ${JSON.stringify(req.headers)}\n`);
    say({ event: 'request', url: req.url });
    res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"Code":"Unavailable","Message":"try later"}');
  });
  server.on('error', (error) => {
    say({ event: 'listen-failed', code: error.code });
    process.exit(0);
  });
  server.listen(port, '127.0.0.1', () => say({ event: 'listening', port }));
}

function replay(port, path, logDir) {
  const log = join(logDir, 'replay.log');
  const req = request(
    { host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}` }, agent: false },
    (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => {
        appendFileSync(log, `${res.statusCode} ${body}\n`);
        say({ event: 'answer', status: res.statusCode, body });
        process.exit(0);
      });
    },
  );
  req.on('error', (error) => {
    say({ event: 'request-failed', code: error.code });
    process.exit(0);
  });
  req.end();
}

function idle(port) {
  const started = performance.now();
  const socket = connect(port, '127.0.0.1', () => say({ event: 'connected' }));
  socket.on('data', () => undefined);
  socket.on('error', () => undefined);
  socket.on('close', () => {
    say({ event: 'closed', afterMs: Math.round(performance.now() - started) });
    process.exit(0);
  });
}

if (mode === 'unix') fakeBroker(args[0], args[1], args.slice(2));
else if (mode === 'tcp') squatPort(Number(args[0]), args[1]);
else if (mode === 'get') replay(Number(args[0]), args[1], args[2]);
else if (mode === 'idle') idle(Number(args[0]));
else {
  say({ event: 'usage' });
  process.exit(2);
}
