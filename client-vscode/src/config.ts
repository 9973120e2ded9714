/** Reads `ghostls.*` from VS Code's configuration (the glue around the pure `settings` module). */
import * as vscode from 'vscode';
import { explicitValue, levelToEdit, SECTION, ServerSettings, toServerSettings } from './settings';

export function configuration(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION, scope);
}

/** The settings object sent to the server: what the user set, null elsewhere. */
export function readServerSettings(scope?: vscode.ConfigurationScope): ServerSettings {
  const config = configuration(scope);
  return toServerSettings((key) => explicitValue(config.inspect(key)));
}

export function isEnabled(): boolean {
  return configuration().get<boolean>('enabled', true);
}

export function disabledLanguages(): readonly string[] {
  const value = configuration().get<unknown>('disabledLanguages', []);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

const TARGETS = {
  global: vscode.ConfigurationTarget.Global,
  workspace: vscode.ConfigurationTarget.Workspace,
} as const;

/** Changes a setting where it is already set (so the change takes effect), else in user settings. */
export async function updateSetting(key: string, value: unknown): Promise<void> {
  const config = configuration();
  await config.update(key, value, TARGETS[levelToEdit(config.inspect(key))]);
}
