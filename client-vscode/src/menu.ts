/** The entries of the status bar menu. Pure: what is offered depends only on the inputs. */

export type MenuAction =
  | { readonly kind: 'set-enabled'; readonly enabled: boolean }
  | { readonly kind: 'set-language'; readonly languageId: string; readonly disabled: boolean }
  | { readonly kind: 'command'; readonly command: string };

export interface MenuEntry {
  readonly label: string;
  readonly description?: string;
  readonly action: MenuAction;
}

export interface MenuInputs {
  readonly enabled: boolean;
  /** The active editor's language, if there is an editor. */
  readonly languageId?: string;
  readonly languageDisabled: boolean;
}

export function menuEntries(inputs: MenuInputs): MenuEntry[] {
  const entries: MenuEntry[] = [
    inputs.enabled
      ? { label: '$(circle-slash) Disable ghostls', description: 'everywhere', action: { kind: 'set-enabled', enabled: false } }
      : { label: '$(check) Enable ghostls', description: 'everywhere', action: { kind: 'set-enabled', enabled: true } },
  ];
  if (inputs.languageId !== undefined) {
    const languageId = inputs.languageId;
    entries.push(
      inputs.languageDisabled
        ? { label: `$(check) Enable for ${languageId}`, action: { kind: 'set-language', languageId, disabled: false } }
        : { label: `$(circle-slash) Disable for ${languageId}`, action: { kind: 'set-language', languageId, disabled: true } },
    );
  }
  entries.push(
    { label: '$(graph) Show statistics', action: { kind: 'command', command: 'ghostls.showStats' } },
    { label: '$(output) Show logs', action: { kind: 'command', command: 'ghostls.showLogs' } },
    { label: '$(debug-restart) Restart server', action: { kind: 'command', command: 'ghostls.restart' } },
    { label: '$(key) Set API key', action: { kind: 'command', command: 'ghostls.setApiKey' } },
  );
  return entries;
}
