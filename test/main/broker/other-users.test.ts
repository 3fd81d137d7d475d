import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { otherHumanUsers } from '../../../main/services/broker/other-users.js';

// Who else can log in here: `cli-config link` prefers External mode when anyone can.

const PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'alicloud-attacker:x:998:998::/home/a:/usr/sbin/nologin',
  'alice:x:1000:1000:Alice:/home/alice:/bin/bash',
  'bob:x:1001:1001::/home/bob:/bin/false',
  'carol:x:1002:1002::/home/carol:',
  'me:x:1003:1003::/home/me:/usr/bin/zsh',
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
  '# a comment',
  'broken line',
].join('\n');

async function passwd(text: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'passwd-')), 'passwd');
  await writeFile(file, text);
  return file;
}

describe('otherHumanUsers', () => {
  it('lists accounts from uid 1000 that can log in, other than the current one', async () => {
    const passwdFile = await passwd(PASSWD);
    expect(await otherHumanUsers({ passwdFile, uid: 1003, platform: 'linux' })).toEqual([
      { name: 'alice', uid: 1000 },
      { name: 'carol', uid: 1002 }, // an empty shell field is /bin/sh
    ]);
    expect((await otherHumanUsers({ passwdFile, uid: 1000, platform: 'linux' })).map((u) => u.name)).toEqual([
      'carol',
      'me',
    ]);
  });

  it('is empty for a machine of one person, an unreadable file, and where accounts are not in /etc/passwd', async () => {
    const alone = await passwd('root:x:0:0::/root:/bin/bash\nme:x:1000:1000::/home/me:/bin/bash\n');
    expect(await otherHumanUsers({ passwdFile: alone, uid: 1000, platform: 'linux' })).toEqual([]);
    expect(await otherHumanUsers({ passwdFile: '/nonexistent/passwd', uid: 1000, platform: 'linux' })).toEqual([]);
    expect(await otherHumanUsers({ passwdFile: await passwd(PASSWD), uid: 1003, platform: 'darwin' })).toEqual([]);
  });
});
