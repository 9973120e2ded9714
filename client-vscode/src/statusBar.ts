/** The status bar item: state of the server and latency of the last suggestion. */
import * as vscode from 'vscode';
import { disabledLanguages, isEnabled } from './config';
import { disabledBy, Lifecycle, presentStatus, ServerStatus, Severity } from './status';

export const MENU_COMMAND = 'ghostls.showMenu';

const BACKGROUNDS: Record<Severity, vscode.ThemeColor | undefined> = {
  normal: undefined,
  warning: new vscode.ThemeColor('statusBarItem.warningBackground'),
  error: new vscode.ThemeColor('statusBarItem.errorBackground'),
};

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ghostls.status', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];
  private lifecycle: Lifecycle = 'stopped';
  private lifecycleMessage: string | undefined;
  private server: ServerStatus | undefined;
  private lastLatencyMs: number | undefined;
  private promptTokensPerMinute: number | undefined;

  constructor() {
    this.item.name = 'ghostls';
    this.item.command = MENU_COMMAND;
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => {
        // The server's "disabled" was about the file that was active then.
        if (this.server?.state === 'disabled') {
          this.server = undefined;
        }
        this.render();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('ghostls')) {
          this.render();
        }
      }),
    );
    this.render();
    this.item.show();
  }

  setLifecycle(lifecycle: Lifecycle, message?: string): void {
    this.lifecycle = lifecycle;
    this.lifecycleMessage = message;
    if (lifecycle !== 'running') {
      this.server = undefined;
    }
    this.render();
  }

  setServerStatus(status: ServerStatus): void {
    this.server = status;
    if (status.latencyMs !== undefined) {
      this.lastLatencyMs = status.latencyMs;
    }
    if (status.promptTokensPerMinute !== undefined) {
      this.promptTokensPerMinute = status.promptTokensPerMinute;
    }
    this.render();
  }

  private render(): void {
    const languageId = vscode.window.activeTextEditor?.document.languageId;
    const view = presentStatus({
      lifecycle: this.lifecycle,
      lifecycleMessage: this.lifecycleMessage,
      server: this.server,
      lastLatencyMs: this.lastLatencyMs,
      promptTokensPerMinute: this.promptTokensPerMinute,
      disabled: disabledBy(isEnabled(), languageId, disabledLanguages()),
      languageId,
    });
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = BACKGROUNDS[view.severity];
  }

  dispose(): void {
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
    this.item.dispose();
  }
}
