import type { StsCredentials } from '../oss/types.js';
import type { CredentialsFormat } from './local-protocol.js';
import { expirationText } from './uri-body.js';

/*
 * `credentials --format F` output, rendered by the process that prints it, from fields it checked
 * (never text a broker sends: `eval "$(alicloud-signin credentials --format env)"` runs whatever
 * is printed). Built-ins only: the CLI's fast path renders with this.
 */

/** What the aliyun CLI's External mode reads (and the Go SDK, which also reads `expiration`). */
export function externalJson(creds: StsCredentials) {
  return {
    mode: 'StsToken',
    access_key_id: creds.accessKeyId,
    access_key_secret: creds.accessKeySecret,
    sts_token: creds.securityToken,
    expiration: expirationText(creds.expiration),
  };
}

/** The `--format json` shape (README documents it). */
export function credentialsJson(profile: { name: string }, creds: StsCredentials) {
  return {
    profile: profile.name,
    accessKeyId: creds.accessKeyId,
    accessKeySecret: creds.accessKeySecret,
    securityToken: creds.securityToken,
    expiration: expirationText(creds.expiration),
  };
}

export function renderCredentials(format: CredentialsFormat, profile: { name: string }, creds: StsCredentials): string {
  switch (format) {
    case 'external':
      // One line: a single JSON object and nothing else.
      return JSON.stringify(externalJson(creds));
    case 'json':
      return JSON.stringify(credentialsJson(profile, creds), null, 2);
    case 'env':
      return [
        `export ALIBABA_CLOUD_ACCESS_KEY_ID=${shellValue(creds.accessKeyId)}`,
        `export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${shellValue(creds.accessKeySecret)}`,
        `export ALIBABA_CLOUD_SECURITY_TOKEN=${shellValue(creds.securityToken)}`,
      ].join('\n');
  }
}

/** Bare when the value is plain base64-ish text (as STS values are), single-quoted otherwise. */
function shellValue(value: string): string {
  return /^[A-Za-z0-9._+/=:-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
