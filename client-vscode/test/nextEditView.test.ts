import { strict as assert } from 'node:assert';
import { endOfInsertion, InlineEdit, parseInlineEdit, presentEdit } from '../src/nextEditView';

const EDIT = {
  text: 'acc += value\r\n    return acc',
  textDocument: { uri: 'file:///w/totals.py', version: 3 },
  range: { start: { line: 3, character: 8 }, end: { line: 4, character: 17 } },
  command: { title: 'Accept next edit', command: 'ghostls.nextEditAccepted', arguments: [7] },
};

describe('parseInlineEdit', () => {
  it('reads the first well-formed edit, line ends as \\n', () => {
    const edit = parseInlineEdit({ edits: [{ text: 1 }, EDIT] });
    assert.equal(edit?.text, 'acc += value\n    return acc');
    assert.equal(edit?.version, 3);
    assert.deepEqual(edit?.command?.arguments, [7]);
  });

  it('ignores answers without edits or with broken ones', () => {
    assert.equal(parseInlineEdit({ edits: [] }), undefined);
    assert.equal(parseInlineEdit(null), undefined);
    assert.equal(parseInlineEdit({ edits: [{ ...EDIT, textDocument: { uri: 'x' } }] }), undefined);
    assert.equal(parseInlineEdit({ edits: [{ ...EDIT, range: { start: { line: 'a' } } }] }), undefined);
  });
});

describe('presentEdit', () => {
  const edit = parseInlineEdit({ edits: [EDIT] }) as InlineEdit;

  it('strikes the replaced text and shows the new text after it', () => {
    const view = presentEdit('result += value\n    return result', edit);
    assert.deepEqual(view.deleted, EDIT.range);
    assert.equal(view.inserted, 'acc += value ⏎     return acc');
    assert.match(view.hover, /```diff\n- result \+= value\n-     return result\n\+ acc \+= value\n\+     return acc\n```/);
  });

  it('has nothing to strike for an insertion', () => {
    const insertion = { ...edit, range: { start: EDIT.range.start, end: EDIT.range.start } };
    assert.equal(presentEdit('', insertion).deleted, undefined);
  });

  it('fences a diff holding backticks with a longer fence', () => {
    assert.match(presentEdit('```', { ...edit, text: 'x' }).hover, /````diff\n- ```\n\+ x\n````/);
  });
});

describe('endOfInsertion', () => {
  it('is after the new text', () => {
    const edit = parseInlineEdit({ edits: [EDIT] }) as InlineEdit;
    assert.deepEqual(endOfInsertion(edit), { line: 4, character: 14 });
    assert.deepEqual(endOfInsertion({ ...edit, text: 'acc' }), { line: 3, character: 11 });
  });
});
