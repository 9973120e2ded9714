import { strict as assert } from 'node:assert';
import { disabledBy, formatLatency, parseServerStatus, presentStatus, StatusInputs } from '../src/status';

const running: StatusInputs = { lifecycle: 'running', languageId: 'python' };

describe('parseServerStatus', () => {
  it('accepts the documented states with optional message and latency', () => {
    assert.deepEqual(parseServerStatus({ state: 'ready', latencyMs: 42.4 }), { state: 'ready', latencyMs: 42.4 });
    assert.deepEqual(parseServerStatus({ state: 'error', message: 'HTTP 500' }), { state: 'error', message: 'HTTP 500' });
    for (const state of ['thinking', 'rate-limited', 'disabled']) {
      assert.deepEqual(parseServerStatus({ state }), { state });
    }
  });

  it('rejects unknown shapes and drops bad optional fields', () => {
    assert.equal(parseServerStatus(undefined), undefined);
    assert.equal(parseServerStatus('ready'), undefined);
    assert.equal(parseServerStatus({ state: 'sleeping' }), undefined);
    assert.deepEqual(parseServerStatus({ state: 'ready', latencyMs: -1, message: 7 }), { state: 'ready' });
    assert.deepEqual(parseServerStatus({ state: 'ready', latencyMs: Number.NaN, message: '' }), { state: 'ready' });
  });
});

describe('formatLatency', () => {
  it('shows milliseconds under a second, else seconds', () => {
    assert.equal(formatLatency(0), '0 ms');
    assert.equal(formatLatency(41.6), '42 ms');
    assert.equal(formatLatency(999.4), '999 ms');
    assert.equal(formatLatency(1250), '1.3 s');
    assert.equal(formatLatency(12_400), '12 s');
  });
});

describe('presentStatus', () => {
  it('reads and shows the prompt tokens per minute', () => {
    assert.deepEqual(parseServerStatus({ state: 'ready', promptTokensPerMinute: 12_345 }), { state: 'ready', promptTokensPerMinute: 12_345 });
    assert.deepEqual(parseServerStatus({ state: 'ready', promptTokensPerMinute: -3 }), { state: 'ready' });
    const view = presentStatus({ ...running, server: { state: 'ready' }, lastLatencyMs: 42, promptTokensPerMinute: 12_345 });
    assert.match(view.tooltip, /Prompt tokens in the last minute: 12\.3k/);
  });

  it('shows the last latency when ready', () => {
    assert.equal(presentStatus({ ...running, server: { state: 'ready' }, lastLatencyMs: 42 }).text, '$(sparkle) ghostls 42 ms');
    assert.equal(presentStatus(running).text, '$(sparkle) ghostls');
  });

  it('spins while thinking and keeps the last latency', () => {
    const view = presentStatus({ ...running, server: { state: 'thinking' }, lastLatencyMs: 80 });
    assert.equal(view.text, '$(loading~spin) ghostls 80 ms');
    assert.equal(view.severity, 'normal');
  });

  it('marks errors and rate limits, with the message in the tooltip', () => {
    const error = presentStatus({ ...running, server: { state: 'error', message: 'connection refused' }, lastLatencyMs: 42 });
    assert.equal(error.text, '$(error) ghostls error');
    assert.equal(error.severity, 'error');
    assert.match(error.tooltip, /connection refused/);

    const limited = presentStatus({ ...running, server: { state: 'rate-limited', message: 'retry in 20 s' } });
    assert.equal(limited.text, '$(watch) ghostls rate-limited');
    assert.equal(limited.severity, 'warning');
    assert.match(limited.tooltip, /retry in 20 s/);
  });

  it("shows 'off' when the server or the settings disable the file", () => {
    assert.equal(presentStatus({ ...running, server: { state: 'disabled' } }).text, '$(circle-slash) ghostls off');
    const byLanguage = presentStatus({ ...running, disabled: 'language', server: { state: 'ready' }, lastLatencyMs: 5 });
    assert.equal(byLanguage.text, '$(circle-slash) ghostls off');
    assert.match(byLanguage.tooltip, /disabled for python/);
    assert.match(presentStatus({ ...running, disabled: 'setting' }).tooltip, /disabled everywhere/);
  });

  it('describes the lifecycle before the server runs', () => {
    assert.equal(presentStatus({ lifecycle: 'starting' }).text, '$(loading~spin) ghostls');
    assert.equal(presentStatus({ lifecycle: 'not-installed' }).text, '$(warning) ghostls not installed');
    assert.match(presentStatus({ lifecycle: 'not-installed' }).tooltip, /pipx install ghostls/);
    assert.equal(presentStatus({ lifecycle: 'untrusted' }).text, '$(shield) ghostls off');
    const failed = presentStatus({ lifecycle: 'failed', lifecycleMessage: 'spawn ENOENT' });
    assert.equal(failed.severity, 'error');
    assert.match(failed.tooltip, /spawn ENOENT/);
  });

  it('lets the lifecycle win over a stale server state', () => {
    assert.equal(presentStatus({ lifecycle: 'stopped', server: { state: 'ready' }, lastLatencyMs: 3 }).text, '$(circle-slash) ghostls off');
  });

  it('always tells what a click does', () => {
    assert.match(presentStatus(running).tooltip, /Click for ghostls actions/);
  });
});

describe('disabledBy', () => {
  it('names the setting that turns suggestions off', () => {
    assert.equal(disabledBy(false, 'python', []), 'setting');
    assert.equal(disabledBy(true, 'markdown', ['markdown']), 'language');
    assert.equal(disabledBy(true, 'python', ['markdown']), undefined);
    assert.equal(disabledBy(true, undefined, ['markdown']), undefined);
  });
});
