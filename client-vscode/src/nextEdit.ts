/**
 * Next-edit suggestions in the editor. VS Code's stable API shows inline completions at the
 * cursor only, so the edit ghostls suggests (anywhere near the cursor) is shown with decorations:
 * the text it replaces struck through, the new text after it, the diff in a hover, and a status
 * bar hint. Tab applies it (only while one is shown and no ghost text is), Escape dismisses it.
 *
 * After a change to the active editor's document and a short pause, the server is asked
 * (`textDocument/copilotInlineEdit`); an answer for a document version that moved on is never
 * shown, moving the cursor or typing dismisses the edit shown, and applying one runs its command
 * (the server then fetches the next edit ahead) and asks for the next at once.
 */
import * as vscode from 'vscode';
import { configuration } from './config';
import {
  DID_SHOW_NOTIFICATION,
  endOfInsertion,
  InlineEdit,
  NEXT_EDIT_REQUEST,
  parseInlineEdit,
  Position,
  presentEdit,
  Range,
} from './nextEditView';
import { ServerManager } from './serverManager';

export const APPLY_COMMAND = 'ghostls.applyNextEdit';
export const DISMISS_COMMAND = 'ghostls.dismissNextEdit';
export const SHOWN_CONTEXT = 'ghostls.nextEditShown';
const PAUSE_MS = 150;

interface Shown {
  readonly editor: vscode.TextEditor;
  readonly edit: InlineEdit;
  readonly version: number;
  readonly cursor: vscode.Position;
}

function toPosition(position: Position): vscode.Position {
  return new vscode.Position(position.line, position.character);
}

function toRange(range: Range): vscode.Range {
  return new vscode.Range(toPosition(range.start), toPosition(range.end));
}

export class NextEditController implements vscode.Disposable {
  private readonly deleted = vscode.window.createTextEditorDecorationType({
    textDecoration: 'line-through',
    backgroundColor: new vscode.ThemeColor('diffEditor.removedTextBackground'),
  });
  private readonly inserted = vscode.window.createTextEditorDecorationType({
    after: {
      color: new vscode.ThemeColor('editorGhostText.foreground'),
      backgroundColor: new vscode.ThemeColor('diffEditor.insertedTextBackground'),
      margin: '0 0 0 0.3em',
    },
  });
  private readonly hint = vscode.window.createStatusBarItem('ghostls.nextEdit', vscode.StatusBarAlignment.Right, 99);
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private pending: vscode.CancellationTokenSource | undefined;
  private shown: Shown | undefined;
  private applying = false;

  constructor(private readonly manager: ServerManager) {
    this.hint.name = 'ghostls next edit';
    this.hint.text = '$(arrow-right) Tab: next edit';
    this.hint.tooltip = 'ghostls suggests an edit: Tab applies it, Escape dismisses it';
    this.hint.command = APPLY_COMMAND;
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((event) => this.changed(event)),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (this.shown !== undefined && event.textEditor === this.shown.editor && !event.selections[0]?.active.isEqual(this.shown.cursor)) {
          this.dismiss();
        }
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.stop()),
      vscode.commands.registerCommand(APPLY_COMMAND, () => this.apply()),
      vscode.commands.registerCommand(DISMISS_COMMAND, () => this.dismiss()),
    );
  }

  private enabled(): boolean {
    return configuration().get<string>('nextEdit', 'off') === 'on';
  }

  private changed(event: vscode.TextDocumentChangeEvent): void {
    const editor = vscode.window.activeTextEditor;
    if (this.applying || event.contentChanges.length === 0 || editor?.document !== event.document) {
      return;
    }
    this.stop();
    if (!this.enabled()) {
      return;
    }
    this.timer = setTimeout(() => void this.request(editor), PAUSE_MS);
  }

  /** Asks for the next edit at the editor's cursor, and shows it if it still applies. */
  private async request(editor: vscode.TextEditor): Promise<void> {
    this.pending?.cancel();
    const source = new vscode.CancellationTokenSource();
    this.pending = source;
    const document = editor.document;
    const version = document.version;
    const cursor = editor.selection.active;
    const params = {
      textDocument: { uri: document.uri.toString(), version },
      position: { line: cursor.line, character: cursor.character },
    };
    let result: unknown;
    try {
      result = await this.manager.sendRequest(NEXT_EDIT_REQUEST, params, source.token);
    } catch {
      return; // cancelled, or the server stopped: nothing to show
    } finally {
      if (this.pending === source) {
        this.pending = undefined;
      }
      source.dispose();
    }
    const edit = parseInlineEdit(result);
    const current = vscode.window.activeTextEditor;
    if (edit === undefined || source.token.isCancellationRequested || current !== editor) {
      return;
    }
    if (document.version !== version || edit.version !== version || edit.uri !== document.uri.toString()) {
      return; // for a version of the document that moved on
    }
    if (!editor.selection.active.isEqual(cursor)) {
      return;
    }
    this.show(editor, edit, version);
  }

  private show(editor: vscode.TextEditor, edit: InlineEdit, version: number): void {
    const range = toRange(edit.range);
    const view = presentEdit(editor.document.getText(range), edit);
    const hover = new vscode.MarkdownString(view.hover);
    editor.setDecorations(this.deleted, view.deleted === undefined ? [] : [{ range, hoverMessage: hover }]);
    const after = view.inserted === '' ? [] : [{ range: new vscode.Range(range.end, range.end), hoverMessage: hover, renderOptions: { after: { contentText: view.inserted } } }];
    editor.setDecorations(this.inserted, after);
    this.shown = { editor, edit, version, cursor: editor.selection.active };
    this.hint.show();
    void vscode.commands.executeCommand('setContext', SHOWN_CONTEXT, true);
    if (edit.command !== undefined) {
      this.manager.sendNotification(DID_SHOW_NOTIFICATION, { item: { command: edit.command } });
    }
  }

  /** Applies the edit shown, puts the cursor after it, runs its command, asks for the next. */
  private async apply(): Promise<void> {
    const shown = this.shown;
    this.dismiss();
    if (shown === undefined || shown.editor.document.version !== shown.version) {
      return;
    }
    const { editor, edit } = shown;
    const change = new vscode.WorkspaceEdit();
    change.replace(editor.document.uri, toRange(edit.range), edit.text);
    this.applying = true;
    let applied: boolean;
    try {
      applied = await vscode.workspace.applyEdit(change);
    } finally {
      this.applying = false;
    }
    if (!applied) {
      return;
    }
    const end = toPosition(endOfInsertion(edit));
    editor.selection = new vscode.Selection(end, end);
    editor.revealRange(new vscode.Range(end, end));
    if (edit.command !== undefined) {
      const { command, arguments: args } = edit.command;
      void this.manager.sendRequest('workspace/executeCommand', { command, arguments: args ?? [] }).catch(() => undefined);
    }
    await this.request(editor);
  }

  private dismiss(): void {
    if (this.shown === undefined) {
      return;
    }
    const { editor } = this.shown;
    this.shown = undefined;
    editor.setDecorations(this.deleted, []);
    editor.setDecorations(this.inserted, []);
    this.hint.hide();
    void vscode.commands.executeCommand('setContext', SHOWN_CONTEXT, false);
  }

  private stop(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.pending?.cancel();
    this.dismiss();
  }

  dispose(): void {
    this.stop();
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
    this.deleted.dispose();
    this.inserted.dispose();
    this.hint.dispose();
  }
}
