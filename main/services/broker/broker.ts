import { isAppError, toAppError, type ErrorCode } from '../core/errors.js';
import type { StsCredentials } from '../oss/types.js';
import type { Profile, ProfilesFile } from '../profiles/schema.js';
import { findProfile } from '../store/profile-store.js';
import type { AuditLog, AuditMode } from './audit-log.js';
import type { ProfileCache } from './profile-cache.js';
import { failureFor, type UriFailureCode } from './uri-body.js';
import type { UriSecrets } from './uri-secrets.js';

/** Where the broker gets credentials: an StsService fits (cached per profile, single-flight). */
export interface CredentialSource {
  credentials(profileId: string): Promise<StsCredentials>;
  forget(profileId: string): void;
  /** How long the held credentials stay valid (ms), and the margin before their end at which they are renewed. */
  validFor?(profileId: string): number | undefined;
  readonly marginMs?: number;
}

export type BrokerOutcome =
  | { ok: true; profile: Profile; credentials: StsCredentials }
  | {
      ok: false;
      profile: Profile | undefined;
      status: number;
      /** The HTTP body's Code (PascalCase, as Alibaba's services write them). */
      code: UriFailureCode;
      /** The same failure as an AppError code, for the local channel's client. */
      appCode: ErrorCode;
      message: string;
      /** For the audit log: why (`wrong-secret`, `disabled`, ...) or the AppError code. */
      reason: string;
      /** The profile is switched off: the local client should do the work itself. */
      switchedOff?: boolean;
    };

export type BrokerFailure = Extract<BrokerOutcome, { ok: false }>;

interface Refusal {
  reason: string;
  status: number;
  code: UriFailureCode;
  appCode: ErrorCode;
  message: string;
}

export interface CredentialBrokerDeps {
  profiles: ProfileCache;
  /** A fresh read of the profiles file, for the local channel (names and the active profile). */
  readProfiles: () => Promise<ProfilesFile>;
  sts: CredentialSource;
  uriSecrets: UriSecrets;
  audit: AuditLog;
}

/**
 * The decisions both channels share: which profile, whether it may be served, and credentials
 * from the one StsService of this process, so concurrent requests share one exchange (and that
 * exchange at most one refresh). Every answer is written to the audit log.
 */
export class CredentialBroker {
  readonly #deps: CredentialBrokerDeps;
  /** Profile id -> when it was last served, for renewing ahead of expiry. */
  readonly #recent = new Map<string, number>();
  /** Profile id -> the credentials the source holds, and until when (performance.now()) it hands them out as they are. */
  readonly #ready = new Map<string, { credentials: StsCredentials; until: number }>();

  constructor(deps: CredentialBrokerDeps) {
    this.#deps = deps;
  }

  /**
   * The answer for a request when everything it needs is in memory and fresh: the profile (switched
   * on, signed in), its secret, and credentials the source would hand out unchanged. Undefined:
   * take `viaUri`, which decides (and audits) everything else. No awaits, no allocation to speak of.
   */
  viaUriNow(profileId: string, secret: string): { profile: Profile; credentials: StsCredentials } | undefined {
    const ready = this.#ready.get(profileId);
    if (!ready || performance.now() >= ready.until) return undefined;
    const profile = this.#deps.profiles.peek(profileId);
    if (
      !profile ||
      !profile.brokerEnabled ||
      profile.status === 'signed-out' ||
      profile.status === 'expired' ||
      refusedBySite(profile)
    )
      return undefined;
    if (this.#deps.uriSecrets.peek(profileId, secret) !== true) return undefined;
    this.#recent.set(profileId, Date.now());
    this.#deps.audit.record({ profile: profile.name, mode: 'CredentialsURI', outcome: 'ok' });
    return { profile, credentials: ready.credentials };
  }

  /** `GET /v1/credentials/<profileId>/<secret>`, after the request checks. */
  async viaUri(profileId: string, secret: string): Promise<BrokerOutcome> {
    const mode: AuditMode = 'CredentialsURI';
    const profile = await this.#deps.profiles.byId(profileId);
    // An unknown profile and a wrong secret look the same from outside.
    if (!profile || !(await this.#deps.uriSecrets.verify(profileId, secret))) {
      return this.#refuse(mode, profile, {
        reason: profile ? 'wrong-secret' : 'unknown-profile',
        status: 403,
        code: 'InvalidCredentialsUri',
        appCode: 'INVALID_INPUT',
        message:
          'This credentials URI is not valid; it may have been rotated. Get the current one with: alicloud-signin broker url NAME',
      });
    }
    return this.#serve(profile, mode);
  }

  /** `alicloud-signin credentials [NAME]` over the local channel; no NAME means the active profile. */
  async viaLocal(ref: string | undefined, mode: AuditMode): Promise<BrokerOutcome> {
    const file = await this.#deps.readProfiles();
    this.#deps.profiles.adopt(file);
    const profile =
      ref === undefined ? file.profiles.find((p) => p.id === file.activeProfileId) : findProfile(file, ref);
    if (!profile) {
      const appCode = ref === undefined ? 'NO_ACTIVE_PROFILE' : 'PROFILE_NOT_FOUND';
      const message =
        ref === undefined
          ? 'No profile is active. Name one, or make one the active profile.'
          : `There is no profile named "${ref}".`;
      this.#deps.audit.record({ profile: ref ?? null, mode, outcome: 'refused', reason: appCode });
      return { ok: false, profile: undefined, status: 404, code: 'ProfileNotFound', appCode, message, reason: appCode };
    }
    return this.#serve(profile, mode);
  }

  async #serve(profile: Profile, mode: AuditMode): Promise<BrokerOutcome> {
    if (!profile.brokerEnabled) {
      const outcome = this.#refuse(mode, profile, {
        reason: 'disabled',
        status: 403,
        code: 'ProfileSwitchedOff',
        appCode: 'BROKER_UNAVAILABLE',
        message: `Profile "${profile.name}" is switched off for the broker. Switch it on with: alicloud-signin broker enable ${profile.name}`,
      });
      return { ...outcome, switchedOff: true };
    }
    if (profile.status === 'signed-out' || profile.status === 'expired' || refusedBySite(profile)) {
      this.#deps.sts.forget(profile.id);
      this.#ready.delete(profile.id);
      const signedOut = profile.status === 'signed-out';
      const refused = refusedBySite(profile);
      return this.#refuse(mode, profile, {
        reason: profile.status,
        status: 401,
        code: signedOut ? 'NotSignedIn' : 'SignInExpired',
        appCode: refused ? 'INVALID_GRANT' : 'NOT_SIGNED_IN',
        message: refused
          ? `The site no longer accepts the sign-in of profile "${profile.name}" (revoked, expired or used elsewhere). Run: alicloud-signin login ${profile.name}`
          : `Profile "${profile.name}" is ${signedOut ? 'not signed in' : 'no longer signed in: its sign-in expired'}. Run: alicloud-signin login ${profile.name}`,
      });
    }
    try {
      const credentials = await this.#deps.sts.credentials(profile.id);
      this.#keepReady(profile.id, credentials);
      this.#recent.set(profile.id, Date.now());
      this.#deps.audit.record({ profile: profile.name, mode, outcome: 'ok' });
      return { ok: true, profile, credentials };
    } catch (error) {
      this.#ready.delete(profile.id);
      const coded = toAppError(error);
      // The refresh token was refused or is gone: the profile file says so now; read it again.
      if (isAppError(coded, 'INVALID_GRANT') || isAppError(coded, 'NOT_SIGNED_IN')) this.#deps.profiles.invalidate();
      const { status, code } = failureFor(coded.code);
      this.#deps.audit.record({ profile: profile.name, mode, outcome: 'error', reason: coded.code });
      return { ok: false, profile, status, code, appCode: coded.code, message: coded.message, reason: coded.code };
    }
  }

  /**
   * Asks again for the credentials of every profile served within `windowMs`, so the StsService
   * renews them (and the access token behind them) before they run out, not while a caller waits.
   */
  async renewRecent(windowMs = 60 * 60_000): Promise<void> {
    const since = Date.now() - windowMs;
    for (const [id, at] of this.#recent) {
      const profile = at < since ? undefined : await this.#deps.profiles.byId(id).catch(() => undefined);
      if (!profile || !profile.brokerEnabled || profile.status !== 'signed-in') {
        this.#recent.delete(id);
        this.#ready.delete(id);
        continue;
      }
      await this.#deps.sts.credentials(id).then(
        (credentials) => this.#keepReady(id, credentials),
        () => {
          this.#recent.delete(id);
          this.#ready.delete(id);
        },
      );
    }
  }

  /** Forgets what is held for a profile (signed out, switched off, secret rotated elsewhere). */
  forget(profileId: string): void {
    this.#ready.delete(profileId);
  }

  /** Until the source would renew them (its margin before their end, in its own clock), these are the answer. */
  #keepReady(profileId: string, credentials: StsCredentials): void {
    const { validFor, marginMs } = this.#deps.sts;
    const left = validFor?.call(this.#deps.sts, profileId);
    if (left === undefined || marginMs === undefined) return;
    this.#ready.set(profileId, { credentials, until: performance.now() + left - marginMs });
  }

  #refuse(mode: AuditMode, profile: Profile | undefined, refusal: Refusal): BrokerFailure {
    this.#deps.audit.record({ profile: profile?.name ?? null, mode, outcome: 'refused', reason: refusal.reason });
    return { ok: false, profile, ...refusal };
  }
}

/**
 * A sign-in profile whose refresh the site refused (the token service marks it): nothing is served
 * from a cache for it either. A role profile's status is its source's, and its chain decides.
 */
function refusedBySite(profile: Profile): boolean {
  return profile.status === 'needs-attention' && !profile.role;
}
