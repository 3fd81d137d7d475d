import { request } from 'node:http';
import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): Record<string, unknown>;
}

/** One plain HTTP request with exactly these headers (fetch will not let a test set Host). */
export function rawRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.method === 'POST' ? 'x=1' : undefined);
  });
}

/** The path of a credentials URL. */
export function pathOf(url: string): string {
  return new URL(url).pathname;
}

/**
 * Speaks the local channel by hand: sends each message as one line, the next one after each
 * answer line, and resolves with every line received once the broker closes.
 */
export function talk(socketPath: string, messages: object[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path: socketPath });
    const lines: string[] = [];
    let buffered = '';
    let sent = 0;
    const next = () => {
      const message = messages[sent];
      sent += 1;
      if (message) socket.write(`${JSON.stringify(message)}\n`);
    };
    socket.setEncoding('utf8');
    socket.on('connect', next);
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        lines.push(buffered.slice(0, end));
        buffered = buffered.slice(end + 1);
        next();
      }
    });
    socket.on('close', () => resolve(lines));
    socket.on('error', reject);
  });
}
