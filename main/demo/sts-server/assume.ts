import type { DemoUser } from '../provider/types.js';
import type { IssuedSts, StsRegistry } from '../sts-registry.js';
import { callerOf, roleArn, trusts, type DemoRole } from './roles.js';
import { fail, type RpcError } from './rpc.js';

const STS_VERSION = '2015-04-01';
/** A role session assumed with a role's credentials (role chaining) lasts at most this long. */
const CHAINED_MAX_SECONDS = 3600;

export interface AssumeDeps {
  sts: StsRegistry;
  users: readonly DemoUser[];
  roles: readonly DemoRole[];
  now: number;
}

export type AssumeResult = { ok: true; body: Record<string, unknown> } | { ok: false; error: RpcError };

/**
 * AssumeRole for an authenticated caller, with the rules STS applies: an account itself (root) may
 * not assume roles; the role must exist in its account and trust the caller (and get its external
 * ID); 900 s up to the role's maximum session duration, and at most 3600 s when the caller is
 * itself a role session.
 */
export function assumeRole(deps: AssumeDeps, caller: IssuedSts, params: Record<string, string>): AssumeResult {
  if (params.Action !== 'AssumeRole') {
    return fail(404, 'InvalidAction.NotFound', `Specified api is not found, please check your url and method.`);
  }
  if (params.Version !== STS_VERSION) return fail(400, 'InvalidVersion', 'Specified parameter Version is not valid.');
  const who = callerOf(caller, deps.users);
  if (who.kind === 'account') return fail(403, 'NoPermission', 'Roles may not be assumed by root accounts.');

  const arn = params.RoleArn;
  if (!arn) return fail(400, 'MissingRoleArn', 'RoleArn is mandatory for this action.');
  const match = /^acs:ram::(\d+):role\/([\w.-]{1,64})$/i.exec(arn);
  if (!match?.[1] || !match[2])
    return fail(400, 'InvalidParameter.RoleArn', 'The parameter RoleArn is wrongly formed.');
  const session = params.RoleSessionName ?? '';
  if (!/^[\w.@-]{2,64}$/.test(session)) {
    return fail(400, 'InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.');
  }
  const duration = params.DurationSeconds === undefined ? 3600 : Number(params.DurationSeconds);
  if (!Number.isInteger(duration) || duration < 900 || duration > 43_200) {
    return fail(400, 'InvalidParameter.DurationSeconds', 'The Min/Max value of DurationSeconds is 15min/12hr.');
  }

  const [, accountId, name] = match;
  const role = deps.roles.find((r) => r.accountId === accountId && r.name.toLowerCase() === name.toLowerCase());
  if (!role) return fail(404, 'EntityNotExist.Role', `The role not exists: ${arn}.`);
  if (!trusts(role, who) || (role.externalId !== undefined && params.ExternalId !== role.externalId)) {
    return fail(403, 'NoPermission', 'You are not authorized to do this action. You should be authorized by RAM.');
  }
  if (who.kind === 'role' && duration > CHAINED_MAX_SECONDS) {
    return fail(
      400,
      'InvalidParameter.DurationSeconds',
      `The Max value of DurationSeconds is ${CHAINED_MAX_SECONDS}s when the caller is a role (role chaining).`,
    );
  }
  if (duration > role.maxSessionDuration) {
    return fail(
      400,
      'InvalidParameter.DurationSeconds',
      `The Max value of DurationSeconds is ${role.maxSessionDuration}s, the MaxSessionDuration of the role.`,
    );
  }

  const canonicalArn = roleArn(role);
  const issued = deps.sts.issueRole(
    {
      roleArn: canonicalArn,
      roleName: role.name,
      roleId: role.roleId,
      sessionName: session,
      assumedRoleArn: `acs:ram::${role.accountId}:role/${role.name.toLowerCase()}/${session}`,
    },
    role.accountId,
    duration,
    deps.now,
  );
  return {
    ok: true,
    body: {
      AssumedRoleUser: { Arn: issued.session?.assumedRoleArn, AssumedRoleId: `${role.roleId}:${session}` },
      Credentials: {
        AccessKeyId: issued.accessKeyId,
        AccessKeySecret: issued.accessKeySecret,
        SecurityToken: issued.securityToken,
        Expiration: issued.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
    },
  };
}
