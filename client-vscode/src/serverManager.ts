/** Starts, stops and restarts the ghostls language server, one operation at a time. */
import { ChildProcess, spawn } from 'node:child_process';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import {
  CloseAction,
  CloseHandlerResult,
  DidChangeConfigurationNotification,
  ErrorAction,
  ErrorHandler,
  ErrorHandlerResult,
  LanguageClient,
  LanguageClientOptions,
  Message,
  RevealOutputChannelOn,
  State,
} from 'vscode-languageclient/node';
import { readApiKey } from './apiKey';
import { configuration, readServerSettings } from './config';
import { pythonExtensionInterpreter } from './pythonExtension';
import { OutputTail, RestartPolicy } from './restartPolicy';
import { describeServer, Resolution, resolveServer, ServerCommand, serverEnvironment } from './serverResolution';
import { SECTION } from './settings';
import { parseServerStatus } from './status';
import { StatusBar } from './statusBar';
import { exists, probe, which } from './which';

export const STATUS_NOTIFICATION = 'ghostls/status';
export const STATS_REQUEST = 'ghostls/stats';

/**
 * A LanguageClient whose own error notifications stay in the log: the ServerManager reports a
 * server that cannot start or keeps crashing once, with the reason, instead of one notification
 * per attempt. Messages the server sends (window/showMessage) still show.
 */
class GhostlsClient extends LanguageClient {
  override error(message: string, data?: unknown, showNotification?: boolean | 'force'): void {
    super.error(message, data, showNotification === 'force' ? false : showNotification);
  }
}

/** Restarts a server that ran and then stopped, within the RestartPolicy; never a failed start. */
class CrashHandler implements ErrorHandler {
  private readonly policy = new RestartPolicy();
  private initialized = false;

  constructor(
    private readonly output: vscode.LogOutputChannel,
    private readonly onGiveUp: (crashes: number) => void,
  ) {}

  markRunning(): void {
    this.initialized = true;
  }

  error(_error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
    return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    const wasRunning = this.initialized;
    this.initialized = false;
    if (this.policy.shouldRestart(wasRunning, Date.now())) {
      this.output.warn('ghostls: the server stopped; restarting it');
      return { action: CloseAction.Restart, handled: true };
    }
    if (wasRunning) {
      this.onGiveUp(this.policy.recentCrashes);
    }
    return { action: CloseAction.DoNotRestart, handled: true };
  }
}

export class ServerManager implements vscode.Disposable {
  private client: GhostlsClient | undefined;
  private queue: Promise<void> = Promise.resolve();
  private missingNotified = false;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly output: vscode.LogOutputChannel,
    private readonly status: StatusBar,
  ) {}

  get isRunning(): boolean {
    return this.client?.state === State.Running;
  }

  start(): Promise<void> {
    return this.enqueue(() => this.startClient());
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.stopClient());
  }

  /** Restarts the server; a server still missing is notified about again. */
  restart(): Promise<void> {
    this.missingNotified = false;
    return this.enqueue(async () => {
      await this.stopClient();
      await this.startClient();
    });
  }

  /** Sends a custom request to the running server. */
  async request(method: string): Promise<unknown> {
    return this.sendRequest(method, {});
  }

  /** Sends a request with `params` to the running server; `token` cancels it ($/cancelRequest). */
  async sendRequest(method: string, params: unknown, token?: vscode.CancellationToken): Promise<unknown> {
    if (this.client === undefined || !this.isRunning) {
      throw new Error('the ghostls server is not running');
    }
    return token === undefined ? this.client.sendRequest<unknown>(method, params) : this.client.sendRequest<unknown>(method, params, token);
  }

  /** Sends a notification to the running server; nothing when it is not running. */
  sendNotification(method: string, params: unknown): void {
    if (this.client !== undefined && this.isRunning) {
      void this.client.sendNotification(method, params).catch(() => undefined);
    }
  }

  async dispose(): Promise<void> {
    await this.stop();
  }

  private enqueue(operation: () => Promise<void>): Promise<void> {
    const next = this.queue.then(operation, operation);
    this.queue = next.catch((error: unknown) => this.output.error(`ghostls: ${String(error)}`));
    return this.queue;
  }

  private async resolve(): Promise<Resolution> {
    const config = configuration();
    return resolveServer({
      commandSetting: config.get<unknown>('server.command'),
      pythonSetting: config.get<unknown>('server.python'),
      pythonExtensionInterpreter: () => pythonExtensionInterpreter(vscode.workspace.workspaceFolders?.[0]?.uri),
      which: (name) => which(name),
      exists,
      probe: (command, args) => probe(command, args),
      env: process.env,
      homeDir: homedir(),
      platform: process.platform,
    });
  }

  private async startClient(): Promise<void> {
    if (this.client !== undefined) {
      return;
    }
    this.status.setLifecycle('starting');
    const resolution = await this.resolve();
    if (resolution.kind === 'missing') {
      this.status.setLifecycle('not-installed');
      this.output.warn(`ghostls: no server found; install it with: ${resolution.installCommand}`);
      this.notifyMissing(resolution.installCommand);
      return;
    }
    if (resolution.kind === 'invalid') {
      this.status.setLifecycle('failed', resolution.reason);
      this.output.error(`ghostls: ${resolution.reason}`);
      void this.notifyFailure(`the language server could not start: ${resolution.reason}`);
      return;
    }
    this.output.info(`ghostls: starting ${describeServer(resolution.server)}`);
    const stderr = new OutputTail();
    const client = await this.createClient(resolution.server, stderr);
    this.client = client;
    let startError: string | undefined;
    try {
      await client.start();
    } catch (error: unknown) {
      startError = error instanceof Error ? error.message : String(error);
    }
    // start() can also resolve when the server exits during initialization.
    if (client.state !== State.Running) {
      this.fail(client, stderr.lastLine() ?? startError ?? 'the server exited during initialization', 'the language server could not start');
    }
  }

  /** Reports a server that could not start or kept crashing: once, in the status bar and a notification. */
  private fail(client: GhostlsClient, reason: string, what: string): void {
    if (this.client !== client) {
      return;
    }
    this.client = undefined;
    this.status.setLifecycle('failed', reason);
    void this.notifyFailure(`${what}: ${reason}`);
    void client.dispose().catch(() => undefined);
  }

  private async stopClient(): Promise<void> {
    const client = this.client;
    if (client === undefined) {
      return;
    }
    this.client = undefined;
    this.status.setLifecycle('stopped');
    try {
      await client.dispose(2000);
    } catch (error: unknown) {
      this.output.warn(`ghostls: the server did not stop cleanly: ${String(error)}`);
    }
  }

  /** Spawns the server process; its stderr goes to the log (by the client) and to `stderr`. */
  private serverProcess(server: ServerCommand, env: Record<string, string>, stderr: OutputTail): () => Promise<ChildProcess> {
    return () =>
      new Promise((resolve, reject) => {
        stderr.clear();
        const child = spawn(server.command, [...server.args], {
          env,
          cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
          stdio: 'pipe',
          windowsHide: true,
        });
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (chunk: string) => stderr.push(chunk));
        child.once('error', reject);
        child.once('spawn', () => resolve(child));
      });
  }

  private async createClient(server: ServerCommand, stderr: OutputTail): Promise<GhostlsClient> {
    const env = serverEnvironment(process.env, await readApiKey(this.secrets));
    let client: GhostlsClient | undefined;
    const errorHandler = new CrashHandler(this.output, (crashes) => {
      if (client !== undefined) {
        this.fail(client, stderr.lastLine() ?? 'no output', `the language server stopped ${crashes} times in 3 minutes and was not restarted`);
      }
    });
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file' }, { scheme: 'untitled' }],
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      errorHandler,
      // A failed initialize is reported by fail(), not by a notification of its own.
      initializationFailedHandler: () => false,
      initializationOptions: () => readServerSettings(),
      synchronize: { configurationSection: SECTION },
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const answers = await next(params, token);
            if (!Array.isArray(answers)) {
              return answers;
            }
            return params.items.map((item, index): unknown =>
              item.section === SECTION ? readServerSettings(item.scopeUri === undefined ? undefined : vscode.Uri.parse(item.scopeUri)) : answers[index],
            );
          },
          didChangeConfiguration: async () => {
            await client?.sendNotification(DidChangeConfigurationNotification.type, { settings: { [SECTION]: readServerSettings() } });
          },
        },
      },
    };
    // Inline completion is a default feature from vscode-languageclient 10.1 on (10.0 had it among
    // the proposed features, behind registerProposedFeatures()); package.json asks for ^10.1.2.
    const created = new GhostlsClient('ghostls', 'ghostls', this.serverProcess(server, env, stderr), clientOptions);
    client = created;
    created.onNotification(STATUS_NOTIFICATION, (params: unknown) => {
      const status = parseServerStatus(params);
      if (status !== undefined) {
        this.status.setServerStatus(status);
      }
    });
    created.onDidChangeState((event) => {
      if (this.client !== created) {
        return;
      }
      if (event.newState === State.Running) {
        errorHandler.markRunning();
        this.status.setLifecycle('running');
      } else if (event.newState === State.Starting) {
        this.status.setLifecycle('starting');
      }
    });
    return created;
  }

  private notifyMissing(installCommand: string): void {
    if (this.missingNotified) {
      return;
    }
    this.missingNotified = true;
    const copy = 'Copy command';
    const retry = 'Retry';
    void vscode.window
      .showWarningMessage(
        `ghostls: the language server is not installed. Install it with \`${installCommand}\`, then choose Retry.`,
        copy,
        retry,
      )
      .then(async (choice) => {
        if (choice === copy) {
          await vscode.env.clipboard.writeText(installCommand);
        } else if (choice === retry) {
          await this.restart();
        }
      });
  }

  private async notifyFailure(message: string): Promise<void> {
    const logs = 'Show logs';
    const settings = 'Open settings';
    const choice = await vscode.window.showErrorMessage(`ghostls: ${message}`, logs, settings);
    if (choice === logs) {
      this.output.show(true);
    } else if (choice === settings) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'ghostls.server');
    }
  }
}
