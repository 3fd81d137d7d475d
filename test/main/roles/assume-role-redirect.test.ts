import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetch } from '../../../main/services/net/http.js';
import { assumeRole } from '../../../main/services/roles/assume-role.js';

// A hostile STS endpoint that redirects: the request body holds the source's security token, and a
// 307/308 would have fetch send that body to the redirect target.

const servers: Server[] = [];
const seen: string[] = [];
let hostileUrl = '';

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const recorder = await listen(
    createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push(body);
        res.end('{}');
      });
    }),
  );
  let status = 307;
  hostileUrl = await listen(
    createServer((req, res) => {
      req.resume();
      res.writeHead(status, { location: `${recorder}/steal` }).end();
      status = status === 307 ? 308 : 307;
    }),
  );
});
afterAll(() => {
  for (const server of servers) server.close();
});

describe('AssumeRole', () => {
  it.each([307, 308])('refuses a redirect (HTTP %i) without sending the credentials on', async () => {
    const call = assumeRole(
      createFetch(),
      {
        endpoint: hostileUrl,
        roleArn: 'acs:ram::123456789012:role/admin',
        sessionName: 'alice',
        durationSeconds: 3600,
        source: {
          accessKeyId: 'STS.key',
          accessKeySecret: 'secret',
          securityToken: 'source-token',
          expiration: new Date(Date.now() + 3600_000),
        },
        now: new Date(),
      },
      { profileName: 'roleA', sourceName: 'user' },
    );
    await expect(call).rejects.toMatchObject({ code: 'BAD_RESPONSE', message: expect.stringMatching(/redirect/) });
    expect(seen).toEqual([]);
  });
});
