import { createServer, connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { clientKeys, PeerUids, procIpv4, uidsFromProcNet } from '../../../main/services/broker/peer-uid.js';

// Whose program is on the other end of a loopback connection: the client's line in
// /proc/net/tcp, found by its address and port, says which uid holds that socket.

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
/** One /proc/net/tcp line (the columns the kernel prints). */
const line = (sl: number, local: string, remote: string, st: string, uid: number, inode: number) =>
  `  ${sl}: ${local} ${remote} ${st} 00000000:00000000 00:00000000 00000000 ${String(uid).padStart(5)}        0 ${inode} 1 0000000000000000 20 4 30 10 -1`;

const CONN = { clientAddress: '127.0.0.1', clientPort: 53924, serverAddress: '127.0.0.1', serverPort: 7878 };

describe('reading /proc/net/tcp', () => {
  it('writes IPv4 addresses as the kernel does: bytes in host order, ports plain hex', () => {
    expect(procIpv4('127.0.0.1', true)).toBe('0100007F');
    expect(procIpv4('127.0.0.1', false)).toBe('7F000001');
    expect(procIpv4('::ffff:127.0.0.2', true)).toBe('0200007F');
    expect(procIpv4('::1', true)).toBeUndefined();
    expect(clientKeys(CONN, true)).toEqual({
      tcp: '0100007F:D2A4 0100007F:1EC6',
      tcp6: '0000000000000000FFFF00000100007F:D2A4 0000000000000000FFFF00000100007F:1EC6',
    });
  });

  it("finds the client's end, not the server's end of the same connection", () => {
    const keys = clientKeys(CONN, true);
    const text = [
      HEADER,
      line(0, '0100007F:1EC6', '00000000:0000', '0A', 0, 100), // the listener
      line(1, '0100007F:1EC6', '0100007F:D2A4', '01', 0, 101), // our accepted socket
      line(2, '0100007F:D2A4', '0100007F:1EC6', '01', 1234, 102), // the client
    ].join('\n');
    expect(uidsFromProcNet(text, new Set([keys?.tcp ?? '']))).toEqual(new Map([[keys?.tcp, 1234]]));
  });

  it('never takes a line no process holds (inode 0: TIME_WAIT, an orphan), where the kernel prints uid 0', () => {
    const keys = clientKeys(CONN, true);
    const text = [HEADER, line(0, '0100007F:D2A4', '0100007F:1EC6', '06', 0, 0)].join('\n');
    expect(uidsFromProcNet(text, new Set([keys?.tcp ?? ''])).size).toBe(0);
  });

  it('reads the tcp6 form of a dual-stack client that dialled 127.0.0.1', () => {
    const keys = clientKeys(CONN, true);
    const text = [
      HEADER,
      line(0, '0000000000000000FFFF00000100007F:D2A4', '0000000000000000FFFF00000100007F:1EC6', '01', 1001, 7),
    ].join('\n');
    expect(uidsFromProcNet(text, new Set([keys?.tcp6 ?? '']))).toEqual(new Map([[keys?.tcp6, 1001]]));
  });
});

describe.skipIf(process.platform !== 'linux')('PeerUids on this machine', () => {
  it('tells our own uid for each of 100 loopback connections we open at once', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const accepted: Socket[] = [];
    server.on('connection', (s) => accepted.push(s));
    const clients = await Promise.all(
      Array.from(
        { length: 100 },
        () =>
          new Promise<Socket>((resolve) => {
            const socket = connect(port, '127.0.0.1', () => resolve(socket));
          }),
      ),
    );
    await expect.poll(() => accepted.length).toBe(100);
    const peers = new PeerUids();
    const uids = await Promise.all(
      accepted.map((s) =>
        peers.lookup({
          clientAddress: s.remoteAddress ?? '',
          clientPort: s.remotePort ?? 0,
          serverAddress: s.localAddress ?? '',
          serverPort: s.localPort ?? 0,
        }),
      ),
    );
    expect(new Set(uids)).toEqual(new Set([process.getuid?.()]));
    for (const c of clients) c.destroy();
    server.close();
  });

  it('answers undefined for a connection that is not there', async () => {
    const peers = new PeerUids();
    expect(await peers.lookup({ ...CONN, clientPort: 1, serverPort: 2 })).toBeUndefined();
  });
});
