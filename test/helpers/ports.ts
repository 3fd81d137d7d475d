import { createServer, type Server } from 'node:net';

/**
 * Binds `count` consecutive ports on 127.0.0.1 (below Linux's ephemeral range, so parallel tests'
 * outgoing connections do not collide with them), retrying at another base when one is taken.
 */
export async function occupyConsecutivePorts(count: number): Promise<{ base: number; servers: Server[] }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 12000);
    const servers: Server[] = [];
    try {
      for (let i = 0; i < count; i++) servers.push(await listen(base + i));
      return { base, servers };
    } catch {
      await Promise.all(servers.map(close));
    }
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(server));
  });
}
