/**
 * When to restart a server that stopped, and what to tell the user about it. Pure.
 *
 * A server that never finished initializing is not restarted (it would fail the same way, once
 * more per restart); one that ran is restarted up to `maxRestarts` times in `windowMs`.
 */

export class RestartPolicy {
  private crashes: number[] = [];

  constructor(
    private readonly maxRestarts = 4,
    private readonly windowMs = 3 * 60_000,
  ) {}

  /** Records a crash at `now`; true when the server should be started again. */
  shouldRestart(initialized: boolean, now: number): boolean {
    if (!initialized) {
      return false;
    }
    this.crashes = [...this.crashes.filter((at) => now - at < this.windowMs), now];
    return this.crashes.length <= this.maxRestarts;
  }

  get recentCrashes(): number {
    return this.crashes.length;
  }
}

/** The last lines a process wrote to stderr, to say why it stopped. */
export class OutputTail {
  private text = '';

  constructor(private readonly maxChars = 4000) {}

  push(chunk: string): void {
    this.text = (this.text + chunk).slice(-this.maxChars);
  }

  clear(): void {
    this.text = '';
  }

  /** The last non-blank line (in a Python traceback: the exception), if any. */
  lastLine(): string | undefined {
    const lines = this.text.split(/\r?\n/).map((line) => line.trim());
    return lines.reverse().find((line) => line !== '');
  }
}
