/**
 * What the status bar item says. Pure: the `ghostls/status` notification's params are checked
 * here, and the text, tooltip and severity are computed from the server's state and the
 * extension's own (starting, not installed, disabled for this file…).
 */

export const SERVER_STATES = ['ready', 'thinking', 'error', 'rate-limited', 'disabled'] as const;
export type ServerState = (typeof SERVER_STATES)[number];

/** The params of the server's `ghostls/status` notification. */
export interface ServerStatus {
  readonly state: ServerState;
  readonly message?: string;
  readonly latencyMs?: number;
  /** Prompt tokens sent to the model in the last minute (estimated where not reported). */
  readonly promptTokensPerMinute?: number;
}

/** What the extension knows without the server. */
export type Lifecycle = 'starting' | 'running' | 'stopped' | 'not-installed' | 'untrusted' | 'failed';

export interface StatusInputs {
  readonly lifecycle: Lifecycle;
  /** Why the server is not running (lifecycle "failed"): shown in the tooltip. */
  readonly lifecycleMessage?: string;
  /** The last `ghostls/status` from the server, if any since it started. */
  readonly server?: ServerStatus;
  /** Latency of the last suggestion shown, kept across states. */
  readonly lastLatencyMs?: number;
  /** Prompt tokens per minute, from the last status that said. */
  readonly promptTokensPerMinute?: number;
  /** Completions are off for the active editor by settings. */
  readonly disabled?: DisabledBy;
  readonly languageId?: string;
}

/** Why the settings turn completions off: `enabled: false`, or the language in `disabledLanguages`. */
export type DisabledBy = 'setting' | 'language';

export function disabledBy(enabled: boolean, languageId: string | undefined, disabledLanguages: readonly string[]): DisabledBy | undefined {
  if (!enabled) {
    return 'setting';
  }
  return languageId !== undefined && disabledLanguages.includes(languageId) ? 'language' : undefined;
}

export type Severity = 'normal' | 'warning' | 'error';

export interface StatusView {
  readonly text: string;
  readonly tooltip: string;
  readonly severity: Severity;
}

export function parseServerStatus(params: unknown): ServerStatus | undefined {
  if (typeof params !== 'object' || params === null) {
    return undefined;
  }
  const record = params as Record<string, unknown>;
  const state = SERVER_STATES.find((known) => known === record.state);
  if (state === undefined) {
    return undefined;
  }
  const message = typeof record.message === 'string' && record.message !== '' ? record.message : undefined;
  const latency = record.latencyMs;
  const latencyMs = typeof latency === 'number' && Number.isFinite(latency) && latency >= 0 ? latency : undefined;
  const tokens = record.promptTokensPerMinute;
  const promptTokensPerMinute = typeof tokens === 'number' && Number.isFinite(tokens) && tokens >= 0 ? tokens : undefined;
  return {
    state,
    ...(message === undefined ? {} : { message }),
    ...(latencyMs === undefined ? {} : { latencyMs }),
    ...(promptTokensPerMinute === undefined ? {} : { promptTokensPerMinute }),
  };
}

/** "850", "12.3k". */
export function formatTokens(tokens: number): string {
  return tokens < 1000 ? `${Math.round(tokens)}` : `${(tokens / 1000).toFixed(tokens < 100_000 ? 1 : 0)}k`;
}

/** "42 ms", "1.3 s". */
export function formatLatency(ms: number): string {
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

const NAME = 'ghostls';
const CLICK_HINT = 'Click for ghostls actions.';

function view(icon: string, suffix: string | undefined, tooltip: string, severity: Severity = 'normal'): StatusView {
  return {
    text: [`$(${icon})`, NAME, ...(suffix === undefined ? [] : [suffix])].join(' '),
    tooltip: `${tooltip}\n${CLICK_HINT}`,
    severity,
  };
}

export function presentStatus(inputs: StatusInputs): StatusView {
  const latency = inputs.lastLatencyMs === undefined ? undefined : formatLatency(inputs.lastLatencyMs);
  switch (inputs.lifecycle) {
    case 'starting':
      return view('loading~spin', undefined, 'ghostls: starting the language server…');
    case 'stopped':
      return view('circle-slash', 'off', 'ghostls: the language server is stopped.');
    case 'not-installed':
      return view('warning', 'not installed', 'ghostls: the language server is not installed (pipx install ghostls).', 'warning');
    case 'untrusted':
      return view('shield', 'off', 'ghostls: off in this untrusted workspace until you allow it.');
    case 'failed':
      return view('error', 'error', `ghostls: the language server could not start${inputs.lifecycleMessage === undefined ? '.' : `: ${inputs.lifecycleMessage}`}`, 'error');
    case 'running':
      break;
  }
  if (inputs.disabled === 'setting') {
    return view('circle-slash', 'off', 'ghostls: disabled everywhere (ghostls.enabled is off).');
  }
  if (inputs.disabled === 'language') {
    return view('circle-slash', 'off', `ghostls: disabled for ${inputs.languageId ?? 'this language'} (ghostls.disabledLanguages).`);
  }
  const server = inputs.server ?? { state: 'ready' };
  const detail = server.message === undefined ? '' : `: ${server.message}`;
  switch (server.state) {
    case 'ready': {
      const cost = inputs.promptTokensPerMinute === undefined ? '' : `\nPrompt tokens in the last minute: ${formatTokens(inputs.promptTokensPerMinute)}`;
      return view('sparkle', latency, (latency === undefined ? `ghostls: ready${detail}` : `ghostls: ready — last suggestion in ${latency}${detail}`) + cost);
    }
    case 'thinking':
      return view('loading~spin', latency, `ghostls: asking the model…${detail}`);
    case 'error':
      return view('error', 'error', `ghostls: the model endpoint failed${detail}`, 'error');
    case 'rate-limited':
      return view('watch', 'rate-limited', `ghostls: rate-limited by the provider${detail}`, 'warning');
    case 'disabled':
      return view('circle-slash', 'off', `ghostls: disabled for this file${detail}`);
  }
}
