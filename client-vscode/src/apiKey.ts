/**
 * The API key lives in VS Code's SecretStorage, never in settings.json. It reaches the server as
 * the GHOSTLS_API_KEY environment variable of its process, so no LSP message ever carries it.
 */
import * as vscode from 'vscode';

export const API_KEY_SECRET = 'ghostls.apiKey';

export async function readApiKey(secrets: vscode.SecretStorage): Promise<string | undefined> {
  return secrets.get(API_KEY_SECRET);
}

/** Asks for the key; an empty answer removes the stored one. Storing fires `secrets.onDidChange`. */
export async function promptForApiKey(secrets: vscode.SecretStorage): Promise<void> {
  const value = await vscode.window.showInputBox({
    title: 'ghostls: Set API Key',
    prompt: "The model endpoint's API key, kept in VS Code's secret storage. Leave empty to remove the stored key.",
    placeHolder: 'API key',
    password: true,
    ignoreFocusOut: true,
  });
  if (value === undefined) {
    return;
  }
  const key = value.trim();
  if (key === '') {
    await secrets.delete(API_KEY_SECRET);
    void vscode.window.showInformationMessage('ghostls: API key removed. The server restarts without it.');
  } else {
    await secrets.store(API_KEY_SECRET, key);
    void vscode.window.showInformationMessage('ghostls: API key saved. The server restarts with it.');
  }
}
