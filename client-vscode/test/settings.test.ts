import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { explicitValue, levelToEdit, SERVER_KEYS, toServerSettings, withLanguage } from '../src/settings';

const ROOT = join(__dirname, '..', '..');

interface Manifest {
  contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const contributed = Object.keys(manifest.contributes.configuration.properties);

/** Keys that configure the extension itself and never reach the server. */
const EXTENSION_ONLY = ['ghostls.server.command', 'ghostls.server.python', 'ghostls.allowUntrustedWorkspace', 'ghostls.trace.server'];

describe('toServerSettings', () => {
  it('sends every server key, null where the user set nothing', () => {
    const settings = toServerSettings(() => undefined);
    assert.deepEqual(Object.keys(settings), [...SERVER_KEYS]);
    assert.ok(Object.values(settings).every((value) => value === null));
  });

  it('passes set values through unchanged, for the server to validate', () => {
    const values: Record<string, unknown> = {
      provider: 'cerebras',
      debounceMs: 'auto',
      maxTokens: 'lots',
      extraHeaders: { 'X-Org': 'team' },
      disabledLanguages: ['markdown'],
      enabled: false,
      temperature: 0,
    };
    const settings = toServerSettings((key) => values[key]);
    for (const [key, value] of Object.entries(values)) {
      assert.deepEqual(settings[key as keyof typeof settings], value, key);
    }
    assert.equal(settings.model, null);
  });

  it('treats blank strings as not set', () => {
    const settings = toServerSettings((key) => (key === 'baseUrl' ? '  ' : key === 'model' ? '' : undefined));
    assert.equal(settings.baseUrl, null);
    assert.equal(settings.model, null);
  });

  it('never asks for extension-only keys or the API key', () => {
    const asked: string[] = [];
    toServerSettings((key) => {
      asked.push(key);
      return 'x';
    });
    for (const key of [...EXTENSION_ONLY.map((name) => name.slice('ghostls.'.length)), 'apiKey', 'server']) {
      assert.ok(!asked.includes(key), key);
    }
  });
});

describe('the settings contract', () => {
  it('contributes a ghostls.* setting for every server key, and nothing else but the extension-only keys', () => {
    const serverKeys = SERVER_KEYS.map((key) => `ghostls.${key}`);
    assert.deepEqual([...contributed].sort(), [...serverKeys, ...EXTENSION_ONLY].sort());
  });
});

describe('explicitValue', () => {
  it('takes the most specific level that sets the key', () => {
    assert.equal(explicitValue({ globalValue: 'g', workspaceValue: 'w', workspaceFolderValue: 'f' }), 'f');
    assert.equal(explicitValue({ globalValue: 'g', workspaceValue: 'w' }), 'w');
    assert.equal(explicitValue({ globalValue: 'g' }), 'g');
    assert.equal(explicitValue({}), undefined);
    assert.equal(explicitValue(undefined), undefined);
  });

  it('keeps falsy values the user set', () => {
    assert.equal(explicitValue({ globalValue: false }), false);
    assert.equal(explicitValue({ globalValue: 0 }), 0);
  });
});

describe('withLanguage', () => {
  it('adds a language once and removes it', () => {
    assert.deepEqual(withLanguage(['markdown'], 'python', true), ['markdown', 'python']);
    assert.deepEqual(withLanguage(['python', 'markdown'], 'python', true), ['markdown', 'python']);
    assert.deepEqual(withLanguage(['python', 'markdown'], 'python', false), ['markdown']);
    assert.deepEqual(withLanguage([], 'python', false), []);
  });
});

describe('levelToEdit', () => {
  it('edits the workspace only when the workspace sets the key', () => {
    assert.equal(levelToEdit({ workspaceValue: true, globalValue: false }), 'workspace');
    assert.equal(levelToEdit({ globalValue: false }), 'global');
    assert.equal(levelToEdit(undefined), 'global');
  });
});
