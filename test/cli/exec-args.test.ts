import { describe, expect, it } from 'vitest';
import { isAppError } from '../../main/services/core/errors.js';
import { parseExecArgs } from '../../main/services/exec/args.js';
import { checkNesting, childEnv } from '../../main/services/exec/child-env.js';

// The parts of exec with no I/O: its grammar, the command's environment, the nesting rule.

function refusal(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('no error');
}

const CREDS = {
  accessKeyId: 'STS.id',
  accessKeySecret: 'secret',
  securityToken: 'token',
  expiration: new Date('2030-01-01T00:00:00Z'),
};

describe('exec arguments', () => {
  it('reads NAME, its flags, then the command with all of its own words', () => {
    expect(parseExecArgs(['prod', 'ls', '-l', '--server'])).toEqual({
      name: 'prod',
      server: false,
      force: false,
      command: 'ls',
      args: ['-l', '--server'],
    });
    expect(parseExecArgs(['--server', 'prod', '--force', '--', 'aliyun', '--', 'x'])).toEqual({
      name: 'prod',
      server: true,
      force: true,
      command: 'aliyun',
      args: ['--', 'x'],
    });
    expect(parseExecArgs(['--', 'aliyun', 'oss', 'ls'])).toMatchObject({ name: undefined, command: 'aliyun' });
  });

  it('refuses a missing command (with a hint when a command was probably meant) and unknown options', () => {
    expect(refusal(() => parseExecArgs(['aliyun']))).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('exec -- aliyun') as unknown,
    });
    expect(refusal(() => parseExecArgs(['prod', '--'])).code).toBe('INVALID_INPUT');
    expect(refusal(() => parseExecArgs([])).code).toBe('INVALID_INPUT');
    // The option's name is echoed, never a value given with it.
    const unknown = refusal(() => parseExecArgs(['--token=s3cret', '--', 'true']));
    expect(unknown.message).toContain('"--token"');
    expect(unknown.message).not.toContain('s3cret');
  });
});

describe('the command’s environment', () => {
  const shell = {
    PATH: '/bin',
    ALIBABA_CLOUD_ACCESS_KEY_ID: 'old',
    ALICLOUD_ACCESS_KEY_ID: 'old',
    ALIBABA_CLOUD_CREDENTIALS_URI: 'http://127.0.0.1:1/old',
    ALIBABA_CLOUD_REGION_ID: 'us-west-1',
  };

  it('static keys replace what the shell held, and drop a URI from an outer exec', () => {
    const env = childEnv(shell, { name: 'prod', region: 'cn-shanghai' }, { kind: 'static', credentials: CREDS });
    expect(env).toEqual({
      PATH: '/bin',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.id',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'token',
      ALICLOUD_ACCESS_KEY: 'STS.id',
      ALICLOUD_SECRET_KEY: 'secret',
      ALICLOUD_SECURITY_TOKEN: 'token',
      ALIBABA_CLOUD_REGION_ID: 'cn-shanghai',
      ALICLOUD_REGION: 'cn-shanghai',
      ALICLOUD_SIGNIN_PROFILE: 'prod',
    });
  });

  it('a URI comes without any key variable; a profile without a region leaves the shell’s', () => {
    const env = childEnv(shell, { name: 'prod', region: undefined }, { kind: 'uri', uri: 'http://127.0.0.1:2/x' });
    expect(env).toEqual({
      PATH: '/bin',
      ALIBABA_CLOUD_CREDENTIALS_URI: 'http://127.0.0.1:2/x',
      ALIBABA_CLOUD_REGION_ID: 'us-west-1',
      ALICLOUD_SIGNIN_PROFILE: 'prod',
    });
  });

  it('nesting: another profile is refused by name unless forced; the same one, or none, is fine', () => {
    const inside = { ALICLOUD_SIGNIN_PROFILE: 'prod' };
    const refused = refusal(() => checkNesting(inside, 'dev', false));
    expect(refused.code).toBe('EXEC_NESTED');
    expect(refused.message).toContain('"prod"');
    expect(() => checkNesting(inside, 'dev', true)).not.toThrow();
    expect(() => checkNesting(inside, 'prod', false)).not.toThrow();
    expect(() => checkNesting({}, 'dev', false)).not.toThrow();
  });
});
