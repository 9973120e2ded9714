/**
 * Renders the server's `ghostls/stats` answer (counters and latency percentiles, any JSON object)
 * as Markdown. Pure. Scalars become a two-column table; an object whose values are all flat
 * objects (latency series with their percentiles) becomes one table with a row each; other
 * nested objects become sections. Numbers under a key ending in `Ms` are durations, counts aside.
 */
import { formatLatency } from './status';

type Row = Record<string, unknown>;

function isRecord(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFlat(value: unknown): value is Row {
  return isRecord(value) && Object.values(value).every((item) => !isRecord(item));
}

/** "pendingTasks" → "pending tasks", "p50_ms" → "p50 ms". */
export function humanizeKey(key: string): string {
  return key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

function isDurationKey(key: string): boolean {
  return /(Ms|_ms)$/.test(key);
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function formatValue(key: string, value: unknown, durations: boolean): string {
  if (typeof value === 'number') {
    if ((durations || isDurationKey(key)) && !/count/i.test(key)) {
      return formatLatency(value);
    }
    return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  }
  if (typeof value === 'string') {
    return escapeCell(value);
  }
  if (value === null || value === undefined) {
    return '—';
  }
  return escapeCell(`\`${JSON.stringify(value)}\``);
}

function pairTable(record: Row, durations: boolean): string[] {
  return [
    '| name | value |',
    '|---|---:|',
    ...Object.entries(record).map(([key, value]) => `| ${escapeCell(humanizeKey(key))} | ${formatValue(key, value, durations)} |`),
  ];
}

function matrixTable(rows: Record<string, Row>, durations: boolean): string[] {
  const columns = [...new Set(Object.values(rows).flatMap((row) => Object.keys(row)))];
  return [
    `| | ${columns.map((column) => escapeCell(humanizeKey(column))).join(' | ')} |`,
    `|---|${columns.map(() => '---:').join('|')}|`,
    ...Object.entries(rows).map(
      ([name, row]) => `| ${escapeCell(humanizeKey(name))} | ${columns.map((column) => formatValue(column, row[column], durations)).join(' | ')} |`,
    ),
  ];
}

function isMatrix(value: Row): value is Record<string, Row> {
  const rows = Object.values(value);
  return rows.length > 0 && rows.every(isFlat);
}

function body(record: Row, depth: number, durations: boolean): string[] {
  const scalars = Object.fromEntries(Object.entries(record).filter(([, value]) => !isRecord(value)));
  const lines = Object.keys(scalars).length > 0 ? [...pairTable(scalars, durations), ''] : [];
  for (const [key, value] of Object.entries(record)) {
    if (!isRecord(value)) {
      continue;
    }
    const inDurations = durations || isDurationKey(key);
    const heading = `${'#'.repeat(Math.min(depth, 6))} ${humanizeKey(key.replace(/(Ms|_ms)$/, ''))}`;
    const content = isMatrix(value) ? [...matrixTable(value, inDurations), ''] : body(value, depth + 1, inDurations);
    lines.push(heading, '', ...content);
  }
  return lines;
}

export function statsToMarkdown(stats: unknown, takenAt: Date): string {
  const time = takenAt.toLocaleTimeString('en-GB', { hour12: false });
  const header = ['# ghostls statistics', '', `_Taken at ${time}. Run "ghostls: Show Statistics" again to refresh._`, ''];
  const content = isRecord(stats) ? body(stats, 2, false) : ['```json', JSON.stringify(stats, null, 2), '```', ''];
  return [...header, ...content].join('\n');
}
