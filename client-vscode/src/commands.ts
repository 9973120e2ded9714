/** The extension's commands and the status bar menu. */
import * as vscode from 'vscode';
import { promptForApiKey } from './apiKey';
import { disabledLanguages, isEnabled, updateSetting } from './config';
import { menuEntries, MenuAction, MenuEntry } from './menu';
import { ServerManager, STATS_REQUEST } from './serverManager';
import { withLanguage } from './settings';
import { MENU_COMMAND } from './statusBar';
import { StatsView } from './statsView';
import { TrustGate } from './trust';

export interface CommandDeps {
  readonly manager: ServerManager;
  readonly gate: TrustGate;
  readonly output: vscode.LogOutputChannel;
  readonly secrets: vscode.SecretStorage;
  readonly statsView: StatsView;
}

async function showStats({ manager, statsView }: CommandDeps): Promise<void> {
  if (!manager.isRunning) {
    void vscode.window.showWarningMessage('ghostls: the server is not running, so there are no statistics to show.');
    return;
  }
  try {
    await statsView.show(await manager.request(STATS_REQUEST));
  } catch (error: unknown) {
    void vscode.window.showErrorMessage(`ghostls: could not read the statistics: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function restart({ manager, gate }: CommandDeps): Promise<void> {
  if (await gate.ask()) {
    await manager.restart();
  }
}

async function runMenuAction(action: MenuAction): Promise<void> {
  switch (action.kind) {
    case 'set-enabled':
      await updateSetting('enabled', action.enabled);
      return;
    case 'set-language':
      await updateSetting('disabledLanguages', withLanguage(disabledLanguages(), action.languageId, action.disabled));
      return;
    case 'command':
      await vscode.commands.executeCommand(action.command);
      return;
  }
}

async function showMenu(): Promise<void> {
  const languageId = vscode.window.activeTextEditor?.document.languageId;
  const entries = menuEntries({
    enabled: isEnabled(),
    languageId,
    languageDisabled: languageId !== undefined && disabledLanguages().includes(languageId),
  });
  const picked = await vscode.window.showQuickPick<vscode.QuickPickItem & { entry: MenuEntry }>(
    entries.map((entry) => ({ label: entry.label, description: entry.description, entry })),
    { title: 'ghostls', placeHolder: 'Choose an action' },
  );
  if (picked !== undefined) {
    await runMenuAction(picked.entry.action);
  }
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const commands: Record<string, () => Thenable<unknown>> = {
    'ghostls.trigger': () => vscode.commands.executeCommand('editor.action.inlineSuggest.trigger'),
    'ghostls.toggle': () => updateSetting('enabled', !isEnabled()),
    'ghostls.setApiKey': () => promptForApiKey(deps.secrets),
    'ghostls.showStats': () => showStats(deps),
    'ghostls.showLogs': async () => deps.output.show(true),
    'ghostls.restart': () => restart(deps),
    [MENU_COMMAND]: showMenu,
  };
  return Object.entries(commands).map(([id, run]) => vscode.commands.registerCommand(id, run));
}
