import { generate } from 'selfsigned';

/** A throw-away certificate authority and a server certificate it signed, all PEM. */
export interface DemoTls {
  /** The server's private key. */
  key: string;
  /** The server certificate (SAN: IP 127.0.0.1, IP ::1, DNS localhost). */
  cert: string;
  /** The CA certificate clients trust to reach the demo servers. */
  ca: string;
}

export interface DemoTlsOptions {
  /** How long both certificates stay valid. Default 30 days. */
  days?: number;
  /** Extra DNS names for the server certificate, on top of localhost. */
  dnsNames?: readonly string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Makes a fresh CA and a server certificate for the demo servers on 127.0.0.1. The CA's key is
 * dropped once the leaf is signed, so nothing else can ever be issued under it. EC P-256 keys
 * keep start-up fast on small machines.
 */
export async function createDemoTls(options: DemoTlsOptions = {}): Promise<DemoTls> {
  // A minute in the past, so a client whose clock runs a little behind still accepts them.
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + (options.days ?? 30) * DAY_MS);
  const common = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256', notBeforeDate, notAfterDate } as const;

  const ca = await generate([{ name: 'commonName', value: 'alicloud-signin demo CA' }], {
    ...common,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });

  const dnsNames = ['localhost', ...(options.dnsNames ?? [])];
  const leaf = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    ...common,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
          ...dnsNames.map((value) => ({ type: 2 as const, value })),
        ],
      },
    ],
  });

  return { key: leaf.private, cert: leaf.cert, ca: ca.cert };
}
