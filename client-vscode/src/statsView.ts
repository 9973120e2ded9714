/** Shows the server's statistics as a Markdown preview of a read-only virtual document. */
import * as vscode from 'vscode';
import { statsToMarkdown } from './stats';

const SCHEME = 'ghostls-stats';
const STATS_URI = vscode.Uri.from({ scheme: SCHEME, path: '/ghostls-statistics.md' });

export class StatsView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);
  private markdown = '';
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(): string {
    return this.markdown;
  }

  async show(stats: unknown): Promise<void> {
    this.markdown = statsToMarkdown(stats, new Date());
    this.changed.fire(STATS_URI);
    try {
      await vscode.commands.executeCommand('markdown.showPreview', STATS_URI);
    } catch {
      // Without the built-in Markdown extension: the Markdown text itself.
      await vscode.window.showTextDocument(STATS_URI, { preview: true });
    }
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
