/**
 * Workspace trust: in Restricted Mode the server starts only when the user allows it, by the
 * `ghostls.allowUntrustedWorkspace` setting (user settings only) or once, from a prompt.
 */
import * as vscode from 'vscode';
import { configuration } from './config';

export const ALLOW_UNTRUSTED_KEY = 'allowUntrustedWorkspace';

export class TrustGate {
  private allowedOnce = false;

  get allowed(): boolean {
    return vscode.workspace.isTrusted || this.allowedOnce || configuration().get<boolean>(ALLOW_UNTRUSTED_KEY, false);
  }

  /** True when the server may start; otherwise asks the user, who may allow it once or always. */
  async ask(): Promise<boolean> {
    if (this.allowed) {
      return true;
    }
    const once = 'Start once';
    const always = 'Always allow';
    const choice = await vscode.window.showWarningMessage(
      'ghostls is off in Restricted Mode: it would run its language server on the files of this untrusted workspace and send code to the configured model. Trust the workspace, or start it anyway.',
      once,
      always,
    );
    if (choice === once) {
      this.allowedOnce = true;
    } else if (choice === always) {
      await configuration().update(ALLOW_UNTRUSTED_KEY, true, vscode.ConfigurationTarget.Global);
    }
    return this.allowed;
  }
}
