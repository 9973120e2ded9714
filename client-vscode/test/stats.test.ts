import { strict as assert } from 'node:assert';
import { humanizeKey, statsToMarkdown } from '../src/stats';

const at = new Date(2026, 0, 2, 13, 4, 5);

describe('statsToMarkdown', () => {
  const markdown = statsToMarkdown(
    {
      counters: { requests: 1234, cacheHits: 56 },
      latencyMs: {
        total: { count: 10, p50: 41.5, p90: 80, p95: null, p99: 1500 },
        model: { count: 9, p50: 30, p90: 60, p95: 70, p99: 90 },
      },
      cache: { entries: 3, bytes: 2048 },
      pendingTasks: 0,
      documents: 2,
    },
    at,
  );

  it('has a title and the time it was taken', () => {
    assert.match(markdown, /^# ghostls statistics\n/);
    assert.match(markdown, /Taken at 13:04:05/);
  });

  it('lists top-level scalars and counters in two-column tables', () => {
    assert.match(markdown, /\| pending tasks \| 0 \|/);
    assert.match(markdown, /## counters\n\n\| name \| value \|\n\|---\|---:\|\n\| requests \| 1,234 \|\n\| cache hits \| 56 \|/);
    assert.match(markdown, /## cache\n[\s\S]*\| bytes \| 2,048 \|/);
  });

  it('puts latency series in one table, percentiles as durations and counts as counts', () => {
    assert.match(markdown, /## latency\n\n\| \| count \| p50 \| p90 \| p95 \| p99 \|/);
    assert.match(markdown, /\| total \| 10 \| 42 ms \| 80 ms \| — \| 1.5 s \|/);
    assert.match(markdown, /\| model \| 9 \| 30 ms \| 60 ms \| 70 ms \| 90 ms \|/);
  });

  it('shows anything that is not an object as JSON', () => {
    assert.match(statsToMarkdown([1, 2], at), /```json\n\[\n {2}1,\n {2}2\n\]\n```/);
  });

  it('escapes table cells', () => {
    assert.match(statsToMarkdown({ note: 'a|b\nc' }, at), /\| note \| a\\\|b c \|/);
  });
});

describe('humanizeKey', () => {
  it('splits camelCase and snake_case', () => {
    assert.equal(humanizeKey('cacheHits'), 'cache hits');
    assert.equal(humanizeKey('p50_ms'), 'p50 ms');
    assert.equal(humanizeKey('requests'), 'requests');
  });
});
