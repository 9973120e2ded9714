import { strict as assert } from 'node:assert';
import { menuEntries } from '../src/menu';

describe('menuEntries', () => {
  it('offers to disable globally and for the language when both are on', () => {
    const entries = menuEntries({ enabled: true, languageId: 'python', languageDisabled: false });
    assert.deepEqual(entries[0]?.action, { kind: 'set-enabled', enabled: false });
    assert.deepEqual(entries[1]?.action, { kind: 'set-language', languageId: 'python', disabled: true });
    assert.match(entries[1]?.label ?? '', /Disable for python/);
  });

  it('offers to enable what is off', () => {
    const entries = menuEntries({ enabled: false, languageId: 'markdown', languageDisabled: true });
    assert.deepEqual(entries[0]?.action, { kind: 'set-enabled', enabled: true });
    assert.deepEqual(entries[1]?.action, { kind: 'set-language', languageId: 'markdown', disabled: false });
  });

  it('has no language entry without an editor', () => {
    const entries = menuEntries({ enabled: true, languageDisabled: false });
    assert.ok(entries.every((entry) => entry.action.kind !== 'set-language'));
  });

  it('ends with statistics, logs, restart and the API key', () => {
    const commands = menuEntries({ enabled: true, languageDisabled: false })
      .map((entry) => entry.action)
      .flatMap((action) => (action.kind === 'command' ? [action.command] : []));
    assert.deepEqual(commands, ['ghostls.showStats', 'ghostls.showLogs', 'ghostls.restart', 'ghostls.setApiKey']);
  });
});
