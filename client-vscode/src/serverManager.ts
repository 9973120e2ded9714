/** Starts, stops and restarts the ghostls language server, one operation at a time. */
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  State,
} from 'vscode-languageclient/node';
import { readApiKey } from './apiKey';
import { configuration, readServerSettings } from './config';
import { pythonExtensionInterpreter } from './pythonExtension';
import { describeServer, Resolution, resolveServer, ServerCommand, serverEnvironment } from './serverResolution';
import { SECTION } from './settings';
import { parseServerStatus } from './status';
import { StatusBar } from './statusBar';
import { exists, probe, which } from './which';

export const STATUS_NOTIFICATION = 'ghostls/status';
export const STATS_REQUEST = 'ghostls/stats';

export class ServerManager implements vscode.Disposable {
  private client: LanguageClient | undefined;
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
    if (this.client === undefined || !this.isRunning) {
      throw new Error('the ghostls server is not running');
    }
    return this.client.sendRequest<unknown>(method, {});
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
      void this.showSettingError(resolution.reason);
      return;
    }
    this.output.info(`ghostls: starting ${describeServer(resolution.server)}`);
    const client = await this.createClient(resolution.server);
    this.client = client;
    try {
      await client.start();
      this.status.setLifecycle('running');
    } catch (error: unknown) {
      const reason = error instanceof Error ? error.message : String(error);
      this.client = undefined;
      // vscode-languageclient has already shown its own error notification for this.
      this.status.setLifecycle('failed', reason);
      await client.dispose().catch(() => undefined);
    }
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

  private async createClient(server: ServerCommand): Promise<LanguageClient> {
    const apiKey = await readApiKey(this.secrets);
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file' }, { scheme: 'untitled' }],
      outputChannel: this.output,
      // Failed requests go to the log; the server's own window/showMessage still shows.
      revealOutputChannelOn: RevealOutputChannelOn.Never,
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
            await client.sendNotification(DidChangeConfigurationNotification.type, { settings: { [SECTION]: readServerSettings() } });
          },
        },
      },
    };
    const client = new LanguageClient(
      'ghostls',
      'ghostls',
      {
        command: server.command,
        args: [...server.args],
        options: {
          env: serverEnvironment(process.env, apiKey),
          cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
        },
      },
      clientOptions,
    );
    client.onNotification(STATUS_NOTIFICATION, (params: unknown) => {
      const status = parseServerStatus(params);
      if (status !== undefined) {
        this.status.setServerStatus(status);
      }
    });
    client.onDidChangeState((event) => {
      if (this.client !== client) {
        return;
      }
      if (event.newState === State.Running) {
        this.status.setLifecycle('running');
      } else if (event.newState === State.Stopped) {
        // The client gave up restarting a crashing server.
        this.status.setLifecycle('failed', 'the server stopped; see "ghostls: Show Logs"');
      } else {
        this.status.setLifecycle('starting');
      }
    });
    return client;
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

  private async showSettingError(reason: string): Promise<void> {
    const settings = 'Open settings';
    const choice = await vscode.window.showErrorMessage(`ghostls: the language server could not start: ${reason}`, settings);
    if (choice === settings) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'ghostls.server');
    }
  }
}
