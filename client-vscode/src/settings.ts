/**
 * The `ghostls.*` settings the server reads, and their mapping from VS Code's configuration to the
 * camelCase object the server takes (initializationOptions, didChangeConfiguration and
 * workspace/configuration). Pure: the reader of a key's value is injected.
 *
 * Every server key is sent, with the value the user set or null. The server treats null as "not
 * given" and applies, in order, the environment, the provider preset and its defaults: so the
 * defaults live in one place, a removed setting takes effect at once, and the server alone
 * validates values (and reports bad ones). Extension-only keys (`server.*`,
 * `allowUntrustedWorkspace`, `trace.server`) are never sent, nor is the API key.
 */

export const SECTION = 'ghostls';

/** The server's keys (server/ghostls/settings.py), except `apiKey`, which goes by environment. */
export const SERVER_KEYS = [
  'provider',
  'baseUrl',
  'model',
  'promptMode',
  'fimTemplate',
  'debounceMs',
  'maxTokens',
  'maxTokensMultiline',
  'temperature',
  'timeoutMs',
  'completionFallback',
  'enabled',
  'disabledLanguages',
  'exclude',
  'codeActionModel',
  'nextEdit',
  'nextEditModel',
  'nextEditPrompt',
  'nextEditWindowLines',
  'contextTokens',
  'extraHeaders',
  'caBundle',
  'allowInsecureKey',
  'prefetch',
  'rateLimitPerMinute',
  'tokensPerMinute',
  'tokensPerDay',
] as const;

export type ServerKey = (typeof SERVER_KEYS)[number];

/** The object sent to the server: each key's value as set, or null for "use the server's". */
export type ServerSettings = { readonly [K in ServerKey]: unknown };

/**
 * `read(key)` returns the value the user set for `ghostls.<key>`, or undefined when unset.
 * A blank string counts as unset.
 */
export function toServerSettings(read: (key: ServerKey) => unknown): ServerSettings {
  const entries = SERVER_KEYS.map((key): [ServerKey, unknown] => {
    const value = read(key);
    const unset = value === undefined || (typeof value === 'string' && value.trim() === '');
    return [key, unset ? null : value];
  });
  return Object.fromEntries(entries) as ServerSettings;
}

/** The part of VS Code's `WorkspaceConfiguration.inspect()` result used here. */
export interface InspectedValue<T> {
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/** The value a user set at any level of `inspect()`, the most specific winning. */
export function explicitValue<T>(inspected: Readonly<InspectedValue<T>> | undefined): T | undefined {
  return inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
}

/** `disabledLanguages` with `languageId` added (disable) or removed (enable). */
export function withLanguage(disabledLanguages: readonly string[], languageId: string, disable: boolean): string[] {
  const rest = disabledLanguages.filter((id) => id !== languageId);
  return disable ? [...rest, languageId] : rest;
}

/**
 * Where an edit of a setting goes: the workspace when it sets the key (an edit of the user's
 * settings would not take effect), else the user's settings.
 */
export type SettingLevel = 'workspace' | 'global';

export function levelToEdit(inspected: Readonly<InspectedValue<unknown>> | undefined): SettingLevel {
  return inspected?.workspaceValue !== undefined ? 'workspace' : 'global';
}
