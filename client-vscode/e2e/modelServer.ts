/** The project's local OpenAI-compatible model server (`python -m ghostls.testing`). */
import { join } from 'node:path';
import { Child } from './processes';

/** A request as the model server recorded it (the fields used here). */
export interface RecordedRequest {
  readonly path: string;
  readonly prompt_text: string;
  /** Header names lower-cased. */
  readonly headers?: Readonly<Record<string, string>>;
}

export class ModelServer {
  private constructor(
    private readonly child: Child,
    readonly baseUrl: string,
  ) {}

  static async start(python: string, answer: string, logDir: string): Promise<ModelServer> {
    const child = Child.spawn('model server', python, ['-m', 'ghostls.testing', '--port', '0', '--answer', answer], {
      log: join(logDir, 'model-server.log'),
    });
    const baseUrl = await child.firstLine(30_000);
    if (!/^http:\/\/127\.0\.0\.1:\d+\/v1$/.test(baseUrl)) {
      await child.stop();
      throw new Error(`unexpected first line from the model server: ${baseUrl}`);
    }
    return new ModelServer(child, baseUrl);
  }

  private get root(): string {
    return this.baseUrl.replace(/\/v1$/, '');
  }

  private async control(path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.root}/_control/${path}`, {
      method: body === undefined && path === 'requests' ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`model server /_control/${path}: HTTP ${response.status} ${await response.text()}`);
    }
    return response.json();
  }

  /** Rules document as `POST /_control/rules` takes it (rules, default, fault, profile). */
  async setRules(document: unknown): Promise<void> {
    await this.control('rules', document);
  }

  async reset(): Promise<void> {
    await this.control('reset', {});
  }

  async requests(): Promise<RecordedRequest[]> {
    const answer = await this.control('requests');
    return Array.isArray(answer) ? (answer as RecordedRequest[]) : [];
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}
