/**
 * Where the ghostls language server comes from. Pure: every look-up of the machine (PATH, files,
 * a probe run of an interpreter) is injected, so the order of preference is unit-tested.
 *
 * Order: `ghostls.server.command` → `ghostls.server.python -m ghostls` → `ghostls` on PATH →
 * `ghostls` in pipx's bin folder → the Python extension's interpreter, if it can run `-m ghostls`.
 */

export const INSTALL_COMMAND = 'pipx install ghostls';

export type ServerSource = 'setting' | 'python-setting' | 'path' | 'pipx' | 'python-extension';

export interface ServerCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly source: ServerSource;
}

export type Resolution =
  | { readonly kind: 'found'; readonly server: ServerCommand }
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'missing'; readonly installCommand: string };

export interface ResolutionInputs {
  /** `ghostls.server.command`: an argv array, or a single path to the executable. */
  readonly commandSetting: unknown;
  /** `ghostls.server.python`: an interpreter that has ghostls installed. */
  readonly pythonSetting: unknown;
  /** The Python extension's interpreter for this workspace, when that extension is there. */
  readonly pythonExtensionInterpreter: () => Promise<string | undefined>;
  /** Full path of an executable found on PATH, or undefined. */
  readonly which: (name: string) => string | undefined;
  readonly exists: (path: string) => boolean;
  /** True when `command args` exits 0 (used to check that an inferred interpreter has ghostls). */
  readonly probe: (command: string, args: readonly string[]) => Promise<boolean>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  readonly platform: NodeJS.Platform;
}

const MODULE_ARGS: readonly string[] = ['-m', 'ghostls'];

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export type ParsedCommand =
  | { readonly kind: 'none' }
  | { readonly kind: 'argv'; readonly command: string; readonly args: readonly string[] }
  | { readonly kind: 'error'; readonly reason: string };

/** Reads `ghostls.server.command`: empty, an argv, or malformed. */
export function parseCommandSetting(value: unknown): ParsedCommand {
  if (value === undefined || value === null) {
    return { kind: 'none' };
  }
  if (typeof value === 'string') {
    const path = nonEmptyString(value);
    return path === undefined ? { kind: 'none' } : { kind: 'argv', command: path, args: [] };
  }
  if (Array.isArray(value)) {
    const parts: readonly unknown[] = value;
    if (parts.length === 0) {
      return { kind: 'none' };
    }
    const strings = parts.filter((part): part is string => typeof part === 'string');
    const [first, ...rest] = strings;
    const command = nonEmptyString(first);
    if (strings.length !== parts.length || command === undefined) {
      return { kind: 'error', reason: 'ghostls.server.command must be a list of strings whose first item is the executable' };
    }
    return { kind: 'argv', command, args: rest };
  }
  return { kind: 'error', reason: 'ghostls.server.command must be a string or a list of strings' };
}

/** A command given as a path (checked for existence) rather than a name looked up on PATH. */
function isPath(command: string): boolean {
  return command.includes('/') || command.includes('\\');
}

/** Where pipx puts the executables it installs (`PIPX_BIN_DIR`, else `~/.local/bin`). */
export function pipxExecutable(inputs: Pick<ResolutionInputs, 'env' | 'homeDir' | 'platform'>): string {
  const sep = inputs.platform === 'win32' ? '\\' : '/';
  const binDir = nonEmptyString(inputs.env.PIPX_BIN_DIR) ?? [inputs.homeDir, '.local', 'bin'].join(sep);
  return `${binDir}${sep}ghostls${inputs.platform === 'win32' ? '.exe' : ''}`;
}

export async function resolveServer(inputs: ResolutionInputs): Promise<Resolution> {
  const configured = parseCommandSetting(inputs.commandSetting);
  if (configured.kind === 'error') {
    return { kind: 'invalid', reason: configured.reason };
  }
  if (configured.kind === 'argv') {
    if (isPath(configured.command) && !inputs.exists(configured.command)) {
      return { kind: 'invalid', reason: `ghostls.server.command: ${configured.command} does not exist` };
    }
    return { kind: 'found', server: { command: configured.command, args: configured.args, source: 'setting' } };
  }

  const python = nonEmptyString(inputs.pythonSetting);
  if (python !== undefined) {
    if (isPath(python) && !inputs.exists(python)) {
      return { kind: 'invalid', reason: `ghostls.server.python: ${python} does not exist` };
    }
    return { kind: 'found', server: { command: python, args: MODULE_ARGS, source: 'python-setting' } };
  }

  const onPath = inputs.which('ghostls');
  if (onPath !== undefined) {
    return { kind: 'found', server: { command: onPath, args: [], source: 'path' } };
  }

  const pipx = pipxExecutable(inputs);
  if (inputs.exists(pipx)) {
    return { kind: 'found', server: { command: pipx, args: [], source: 'pipx' } };
  }

  const interpreter = await inputs.pythonExtensionInterpreter();
  if (interpreter !== undefined && (await inputs.probe(interpreter, [...MODULE_ARGS, '--version']))) {
    return { kind: 'found', server: { command: interpreter, args: MODULE_ARGS, source: 'python-extension' } };
  }

  return { kind: 'missing', installCommand: INSTALL_COMMAND };
}

/** One line for the log: what runs and why that one. */
export function describeServer(server: ServerCommand): string {
  const origin: Record<ServerSource, string> = {
    setting: 'ghostls.server.command',
    'python-setting': 'ghostls.server.python',
    path: 'PATH',
    pipx: "pipx's bin folder",
    'python-extension': "the Python extension's interpreter",
  };
  return `${[server.command, ...server.args].join(' ')} (from ${origin[server.source]})`;
}

/** The server process's environment: the editor's, plus the stored API key when there is one. */
export function serverEnvironment(
  base: Readonly<Record<string, string | undefined>>,
  apiKey: string | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined) {
      env[name] = value;
    }
  }
  if (apiKey !== undefined && apiKey !== '') {
    env.GHOSTLS_API_KEY = apiKey;
  }
  return env;
}
