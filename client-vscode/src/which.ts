/** PATH look-up and file checks for server resolution (Node only, no VS Code API). */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function isExecutableFile(path: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(path).isFile()) {
      return false;
    }
    if (platform !== 'win32') {
      accessSync(path, constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

export function exists(path: string): boolean {
  return isExecutableFile(path, process.platform);
}

/** The first executable called `name` in `env.PATH` (with `PATHEXT` suffixes on Windows). */
export function which(
  name: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : delimiter).filter((dir) => dir !== '');
  const suffixes = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';') : [''];
  for (const dir of dirs) {
    for (const suffix of suffixes) {
      const candidate = join(dir, name + suffix);
      if (isExecutableFile(candidate, platform)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/** Runs `command args` with a time limit; true when it exits 0. */
export function probe(command: string, args: readonly string[], timeoutMs = 10_000): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(command, [...args], { timeout: timeoutMs, windowsHide: true }, (error) => resolve(error === null));
  });
}
