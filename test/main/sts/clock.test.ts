import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClockFile, clockJson, clockNotice } from '../../../main/services/clock/clock-file.js';
import { describeOffset, ServerClock, skewWarning } from '../../../main/services/clock/server-clock.js';
import { createFetch } from '../../../main/services/net/http.js';

const SITE = 'https://oauth.example';
const OSS = 'https://oss-cn-hangzhou.example';

describe('ServerClock', () => {
  it('is the local clock until a server answered', () => {
    const clock = new ServerClock({ localNow: () => 1_000_000 });
    expect(clock.now()).toBe(1_000_000);
    expect(clock.offsetMs(SITE)).toBe(0);
    expect(clock.latest()).toBeUndefined();
  });

  it('measures from whole-second Date values, centred in their second, as a median per origin', () => {
    let local = Date.UTC(2026, 0, 1, 12, 0, 0, 300);
    const clock = new ServerClock({ localNow: () => local });
    // The server is 120 s ahead; its header drops the milliseconds.
    clock.record(SITE, Date.UTC(2026, 0, 1, 12, 2, 0));
    expect(clock.offsetMs(SITE)).toBe(120_200);
    local += 1000;
    clock.record(SITE, Date.UTC(2026, 0, 1, 12, 2, 1));
    clock.record(SITE, Date.UTC(2026, 0, 1, 12, 9, 0)); // one wild answer
    expect(clock.offsetMs(SITE)).toBe(120_200);
    expect(clock.now(SITE)).toBe(local + 120_200);
  });

  it('keeps origins apart, and falls back to the latest answer for an origin not heard from', () => {
    const local = 5_000_000;
    const clock = new ServerClock({ localNow: () => local });
    clock.record(SITE, local + 60_000 - 500);
    expect(clock.offsetMs(OSS)).toBe(60_000);
    clock.record(OSS, local - 500);
    expect(clock.offsetMs(OSS)).toBe(0);
    expect(clock.offsetMs(SITE)).toBe(60_000);
    expect(clock.offsetMs()).toBe(0);
  });

  it('reads the Date header of every response through createFetch({ observe })', async () => {
    const server = createServer((_req, res) => {
      res.setHeader('Date', new Date(Date.now() + 3 * 60_000).toUTCString());
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const clock = new ServerClock();
      const seen: string[] = [];
      clock.onSample((s) => seen.push(s.origin));
      const fetch = createFetch({ observe: clock.observe });
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
      await (await fetch(url)).text();
      expect(seen).toEqual([new URL(url).origin]);
      expect(Math.abs(clock.offsetMs() - 180_000)).toBeLessThan(1_500);
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });

  it('ignores a missing or unreadable Date header', () => {
    const clock = new ServerClock();
    clock.observe(new Response('x', { headers: { date: 'not a date' } }), new URL(SITE));
    clock.observe(new Response('x'), new URL(SITE));
    expect(clock.latest()).toBeUndefined();
  });
});

describe('clock words', () => {
  it('names direction and size', () => {
    expect(describeOffset(3 * 60_000)).toBe('about 3 minutes behind');
    expect(describeOffset(-45_000)).toBe('about 45 seconds ahead of');
    expect(describeOffset(-3 * 3_600_000)).toBe('about 3 hours ahead of');
  });

  it('warns only past 60 seconds', () => {
    expect(skewWarning({ origin: SITE, offsetMs: 59_000 })).toBeUndefined();
    expect(skewWarning({ origin: SITE, offsetMs: -60_000 })).toBeUndefined();
    const words = skewWarning({ origin: OSS, offsetMs: 125_000 });
    expect(words).toContain("This computer's clock is about 2 minutes behind the time of oss-cn-hangzhou.example");
    expect(words).toContain('automatic date and time');
  });
});

describe('ClockFile', () => {
  async function dataDir(): Promise<string> {
    return join(await mkdtemp(join(tmpdir(), 'clock-file-')), 'data');
  }

  it('persists the latest measurement per server atomically, 0600, for an offline whoami', async () => {
    const dir = await dataDir();
    let local = Date.UTC(2026, 5, 1);
    const clock = new ServerClock({ localNow: () => local });
    const file = new ClockFile(dir);
    file.follow(clock);
    clock.record(SITE, local + 2_000);
    clock.record(OSS, local + 4 * 60_000 - 500);
    await file.flush();
    expect((await stat(file.path)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);

    const records = await new ClockFile(dir).read();
    expect(records.map((r) => [r.origin, r.offsetMs])).toEqual([
      [OSS, 240_000],
      [SITE, 2_500],
    ]);
    expect(clockNotice(records)).toMatch(
      /about 4 minutes behind the time of oss-cn-hangzhou\.example.*\(measured 2026-06-01T00:00:00\.000Z\)/,
    );
    expect(clockJson(records)).toEqual({
      offsetSeconds: 240,
      server: OSS,
      measuredAt: '2026-06-01T00:00:00.000Z',
      skewed: true,
    });

    // An unchanged offset a moment later is not written again.
    const before = await readFile(file.path, 'utf8');
    local += 1000;
    clock.record(SITE, local + 2_000);
    await file.flush();
    expect(await readFile(file.path, 'utf8')).toBe(before);
  });

  it('says nothing when the clock is right or nothing was measured, and survives a damaged file', async () => {
    const dir = await dataDir();
    const file = new ClockFile(dir);
    expect(await file.read()).toEqual([]);
    expect(clockNotice([])).toBeUndefined();
    expect(clockJson([])).toBeNull();
    expect(clockNotice([{ origin: SITE, offsetMs: 1_500, measuredAt: new Date().toISOString() }])).toBeUndefined();

    const clock = new ServerClock();
    file.follow(clock);
    clock.record(SITE, Date.now());
    await file.flush();
    await writeFile(file.path, '{"version": 1, "samples": [');
    expect(await new ClockFile(dir).read()).toEqual([]);
  });
});
