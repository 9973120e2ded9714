/** Child processes of the end-to-end run: the model server and code-server. */
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A process in its own process group, so stopping it also stops what it started. */
export class Child {
  private constructor(
    readonly name: string,
    readonly process: ChildProcess,
  ) {}

  static spawn(name: string, command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; log: string }): Child {
    const child = spawn(command, [...args], { env: options.env ?? process.env, cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = createWriteStream(options.log, { flags: 'a' });
    child.stderr?.pipe(log);
    return new Child(name, child);
  }

  /** The first line the process prints on stdout (the rest goes to nowhere). */
  firstLine(timeoutMs: number): Promise<string> {
    const stdout = this.process.stdout;
    if (stdout === null) {
      return Promise.reject(new Error(`${this.name} has no stdout`));
    }
    return new Promise((resolve, reject) => {
      const lines = createInterface({ input: stdout });
      const timer = setTimeout(() => reject(new Error(`${this.name} printed nothing in ${timeoutMs} ms`)), timeoutMs);
      this.process.once('exit', (code) => reject(new Error(`${this.name} exited with ${String(code)} before printing`)));
      lines.once('line', (line) => {
        clearTimeout(timer);
        stdout.resume();
        resolve(line.trim());
      });
    });
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  async stop(): Promise<void> {
    const pid = this.process.pid;
    if (pid === undefined || !this.running) {
      return;
    }
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  }
}
