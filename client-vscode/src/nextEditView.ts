/**
 * Next-edit suggestions as VS Code shows them, without VS Code: the server's answer to
 * `textDocument/copilotInlineEdit` read and checked, what the decorations show, and where the
 * cursor goes once the edit is applied. Pure.
 */

export const NEXT_EDIT_REQUEST = 'textDocument/copilotInlineEdit';
export const DID_SHOW_NOTIFICATION = 'textDocument/didShowInlineEdit';

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export interface Command {
  readonly title: string;
  readonly command: string;
  readonly arguments?: readonly unknown[];
}

export interface InlineEdit {
  readonly text: string;
  readonly range: Range;
  readonly uri: string;
  readonly version: number;
  readonly command?: Command;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function position(value: unknown): Position | undefined {
  if (!isRecord(value) || !Number.isInteger(value.line) || !Number.isInteger(value.character)) {
    return undefined;
  }
  return { line: value.line as number, character: value.character as number };
}

function command(value: unknown): Command | undefined {
  if (!isRecord(value) || typeof value.command !== 'string') {
    return undefined;
  }
  const args = Array.isArray(value.arguments) ? value.arguments : undefined;
  return { title: typeof value.title === 'string' ? value.title : '', command: value.command, arguments: args };
}

/** The first well-formed edit of the answer, or undefined. */
export function parseInlineEdit(result: unknown): InlineEdit | undefined {
  const edits = isRecord(result) && Array.isArray(result.edits) ? result.edits : [];
  for (const edit of edits) {
    if (!isRecord(edit) || typeof edit.text !== 'string' || !isRecord(edit.range) || !isRecord(edit.textDocument)) {
      continue;
    }
    const start = position(edit.range.start);
    const end = position(edit.range.end);
    const { uri, version } = edit.textDocument;
    if (start === undefined || end === undefined || typeof uri !== 'string' || !Number.isInteger(version)) {
      continue;
    }
    return { text: edit.text.replace(/\r\n?/g, '\n'), range: { start, end }, uri, version: version as number, command: command(edit.command) };
  }
  return undefined;
}

export interface EditView {
  /** The text the edit replaces, struck through; undefined for a pure insertion. */
  readonly deleted: Range | undefined;
  /** What the edit writes, shown after the replaced text (line breaks as ⏎). */
  readonly inserted: string;
  /** The edit as a diff, for the hover. */
  readonly hover: string;
}

const HINT = 'Tab applies it, Escape dismisses it.';

function fence(text: string): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (match) => match[0].length));
  return '`'.repeat(longest + 1);
}

/** What to show for `edit`, which replaces `replaced` (the document's text in its range). */
export function presentEdit(replaced: string, edit: InlineEdit): EditView {
  const empty = edit.range.start.line === edit.range.end.line && edit.range.start.character === edit.range.end.character;
  const removed = replaced === '' ? [] : replaced.replace(/\r\n?/g, '\n').split('\n');
  const added = edit.text === '' ? [] : edit.text.split('\n');
  const diff = [...removed.map((line) => `- ${line}`), ...added.map((line) => `+ ${line}`)].join('\n');
  const mark = fence(diff);
  return {
    deleted: empty ? undefined : edit.range,
    inserted: added.join(' ⏎ '),
    hover: `**ghostls: next edit.** ${HINT}\n\n${mark}diff\n${diff}\n${mark}`,
  };
}

/** Where the cursor goes once the edit is applied: just after its new text. */
export function endOfInsertion(edit: InlineEdit): Position {
  const lines = edit.text.split('\n');
  const last = lines[lines.length - 1] ?? '';
  if (lines.length === 1) {
    return { line: edit.range.start.line, character: edit.range.start.character + last.length };
  }
  return { line: edit.range.start.line + lines.length - 1, character: last.length };
}
