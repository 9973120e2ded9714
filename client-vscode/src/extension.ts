/** Entry point: wires the status bar, the server manager, the commands and the trust gate. */
import * as vscode from 'vscode';
import { API_KEY_SECRET } from './apiKey';
import { registerCommands } from './commands';
import { NextEditController } from './nextEdit';
import { ServerManager } from './serverManager';
import { StatusBar } from './statusBar';
import { StatsView } from './statsView';
import { ALLOW_UNTRUSTED_KEY, TrustGate } from './trust';

let manager: ServerManager | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('ghostls', { log: true });
  const status = new StatusBar();
  const statsView = new StatsView();
  const gate = new TrustGate();
  const serverManager = new ServerManager(context.secrets, output, status);
  manager = serverManager;

  const startIfAllowed = async (): Promise<void> => {
    if (gate.allowed) {
      await serverManager.start();
    } else {
      status.setLifecycle('untrusted');
    }
  };

  context.subscriptions.push(
    output,
    status,
    statsView,
    new NextEditController(serverManager),
    ...registerCommands({ manager: serverManager, gate, output, secrets: context.secrets, statsView }),
    context.secrets.onDidChange((event) => {
      if (event.key === API_KEY_SECRET && gate.allowed) {
        void serverManager.restart();
      }
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('ghostls.server') && gate.allowed) {
        void serverManager.restart();
      } else if (event.affectsConfiguration(`ghostls.${ALLOW_UNTRUSTED_KEY}`)) {
        void startIfAllowed();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void serverManager.start()),
  );

  void startIfAllowed();
  if (!gate.allowed) {
    void gate.ask().then((allowed) => (allowed ? serverManager.start() : undefined));
  }
}

export async function deactivate(): Promise<void> {
  await manager?.dispose();
  manager = undefined;
}
