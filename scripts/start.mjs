// `npm start`: build the desktop app and launch it in Electron. Where the Electron binary is not
// installed (it is downloaded on first use, which fails offline), say so in one line.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function electronBinary() {
  // Read electron's own path file instead of require('electron'), which would try to download.
  let dir;
  try {
    dir = dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, 'dist'), readFileSync(pathFile, 'utf8'));
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();
if (!binary) {
  console.error(
    'alicloud-signin: the Electron binary is not installed on this machine; get it with `npx install-electron` (needs internet) or set ELECTRON_OVERRIDE_DIST_PATH; the headless CLI works without it: npx alicloud-signin --help',
  );
  process.exitCode = 1;
} else {
  const steps = [
    ['npx', ['electron-vite', 'build']],
    [binary, ['.']],
  ];
  for (const [command, args] of steps) {
    const result = spawnSync(command, args, { stdio: 'inherit' });
    if (result.status !== 0) {
      process.exitCode = result.status ?? 1;
      break;
    }
  }
}
