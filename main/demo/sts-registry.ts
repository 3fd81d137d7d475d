import { randomBytes } from 'node:crypto';

/** A set of STS credentials the demo site issued, as the demo OSS server checks them. */
export interface IssuedSts {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiration: Date;
  /** The OAuth subject the credentials were issued for (a role session: `RoleId:SessionName`). */
  subject: string;
  accountId: string;
  /** Set when AssumeRole issued them: the credentials are a role session of `accountId`. */
  session?: RoleSession;
}

/** What an AssumeRole answer names: the role assumed and the session. */
export interface RoleSession {
  roleArn: string;
  roleName: string;
  roleId: string;
  sessionName: string;
  /** `acs:ram::ACCOUNT:role/NAME/SESSION`'s STS form: `acs:sts::ACCOUNT:assumed-role/NAME/SESSION`. */
  assumedRoleArn: string;
}

/**
 * Shared between the demo provider's `/v1/exchange` (which issues) and the demo OSS server
 * (which verifies), the way STS and OSS share state at Alibaba.
 */
export class StsRegistry {
  readonly #byKeyId = new Map<string, IssuedSts>();

  issue(subject: string, accountId: string, ttlSeconds: number, now = Date.now()): IssuedSts {
    const issued: IssuedSts = {
      accessKeyId: `STS.${randomBytes(12).toString('base64url')}`,
      accessKeySecret: randomBytes(24).toString('base64url'),
      securityToken: `CAIS${randomBytes(48).toString('base64url')}`,
      // Alibaba's expirations have whole seconds.
      expiration: new Date(Math.floor((now + ttlSeconds * 1000) / 1000) * 1000),
      subject,
      accountId,
    };
    this.#byKeyId.set(issued.accessKeyId, issued);
    return issued;
  }

  /**
   * Credentials for a role session (the demo STS server's AssumeRole). Issued through `issue`, so
   * a subclass that watches issues sees these too.
   */
  issueRole(session: RoleSession, accountId: string, ttlSeconds: number, now = Date.now()): IssuedSts {
    const issued = this.issue(`${session.roleId}:${session.sessionName}`, accountId, ttlSeconds, now);
    issued.session = session;
    return issued;
  }

  lookup(accessKeyId: string): IssuedSts | undefined {
    return this.#byKeyId.get(accessKeyId);
  }

  /** Ends every set issued to a subject (a revoked grant). */
  revokeSubject(subject: string): void {
    for (const [id, sts] of this.#byKeyId) if (sts.subject === subject) this.#byKeyId.delete(id);
  }

  get size(): number {
    return this.#byKeyId.size;
  }
}
