/**
 * End-to-end test in a real VS Code: code-server 4.100.3 (VS Code 1.100.3) with the packaged
 * extension, driven through Debian's headless Chromium, against the ghostls server and the
 * project's local model server. Prints one line per check, then "N passed, N failed".
 *
 * Environment: GHOSTLS_E2E_PYTHON (an interpreter with ghostls installed; default: the repo's
 * .venv or venv, else python3), GHOSTLS_E2E_CACHE (where code-server is installed; default
 * ~/.cache/ghostls-e2e), CHROMIUM (default /usr/bin/chromium).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { ModelServer } from './modelServer';
import { Child, freePort, waitFor } from './processes';
import { BROKEN_JSON, Check, CHECKS, Context, TOTALS, UNTRUSTED_CHECKS } from './scenario';
import { Workbench } from './workbench';

const ROOT = resolve(__dirname, '..', '..');
const REPO = resolve(ROOT, '..');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const VSIX = join(ROOT, 'ghostls.vsix');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CACHE = process.env.GHOSTLS_E2E_CACHE ?? join(homedir(), '.cache', 'ghostls-e2e');
const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function serverPython(): string {
  const candidates = [process.env.GHOSTLS_E2E_PYTHON, join(REPO, '.venv', 'bin', 'python'), join(REPO, 'venv', 'bin', 'python')];
  return candidates.find((candidate): candidate is string => candidate !== undefined && existsSync(candidate)) ?? 'python3';
}

/** What is missing to run at all, with the command that fixes it. */
function preconditions(python: string): string[] {
  const problems: string[] = [];
  if (!existsSync(VSIX)) {
    problems.push(`the packaged extension ${VSIX} is missing: npm run package`);
  }
  if (!existsSync(CHROMIUM)) {
    problems.push(`Chromium is missing: apt-get install -y chromium (or set CHROMIUM)`);
  }
  try {
    execFileSync(python, ['-m', 'ghostls', '--version'], { stdio: 'ignore' });
  } catch {
    problems.push(`${python} cannot run ghostls: set GHOSTLS_E2E_PYTHON to an interpreter that has it (pip install -e .)`);
  }
  return problems;
}

function installCodeServer(): string {
  const script = join(ROOT, 'e2e', 'install-code-server.sh');
  const output = execFileSync('bash', [script, CACHE], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return output.trim().split('\n').pop() ?? '';
}

function userSettings(baseUrl: string): Record<string, unknown> {
  return {
    'ghostls.baseUrl': baseUrl,
    'ghostls.trace.server': 'verbose',
    'editor.inlineSuggest.enabled': true,
    'editor.quickSuggestions': { other: false, comments: false, strings: false },
    'editor.suggestOnTriggerCharacters': false,
    'editor.wordBasedSuggestions': 'off',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'chat.commandCenter.enabled': false,
    'files.autoSave': 'off',
    'ghostls.nextEdit': 'on',
  };
}

/** Every ghostls.log the extension wrote under the user data folder, joined. */
function extensionLog(userDataDir: string): string {
  const logs = join(userDataDir, 'logs');
  if (!existsSync(logs)) {
    return '';
  }
  return readdirSync(logs, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('ghostls.log'))
    .map((path) => readFileSync(join(logs, path), 'utf8'))
    .join('\n');
}

interface Result {
  readonly name: string;
  readonly ok: boolean;
}

async function runChecks(checks: readonly Check[], context: Context): Promise<Result[]> {
  const results: Result[] = [];
  for (const check of checks) {
    const started = Date.now();
    let ok = true;
    let detail: string;
    try {
      detail = await check.run(context);
    } catch (error: unknown) {
      ok = false;
      detail = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
      const shot = join(context.artifacts, `failed-${String(results.length + 1).padStart(2, '0')}.png`);
      await context.wb.screenshot(shot).catch(() => undefined);
    }
    results.push({ name: check.name, ok });
    console.log(`${ok ? 'PASS' : 'FAIL'}  ${check.name} (${((Date.now() - started) / 1000).toFixed(1)} s)${detail === '' ? '' : ` — ${detail}`}`);
    if (!ok && check.essential === true) {
      const skipped = checks.slice(results.length);
      for (const rest of skipped) {
        console.log(`SKIP  ${rest.name}`);
      }
      results.push(...skipped.map((rest) => ({ name: rest.name, ok: false })));
      break;
    }
  }
  return results;
}

/** One VS Code window: a code-server with its own user data, and a browser page on it. */
interface Session {
  readonly context: Context;
  readonly codeServer: Child;
}

interface SessionOptions {
  readonly name: string;
  readonly codeServerBin: string;
  readonly temp: string;
  readonly python: string;
  readonly model: ModelServer;
  readonly browser: Browser;
  /** false: workspace trust stays on, and the folder opens in Restricted Mode. */
  readonly trusted: boolean;
}

async function openSession(options: SessionOptions): Promise<Session> {
  const dir = join(options.temp, options.name);
  const workspace = join(dir, 'workspace');
  const userDataDir = join(dir, 'user-data');
  const extensionsDir = join(dir, 'extensions');
  const settingsPath = join(userDataDir, 'User', 'settings.json');
  // code-server writes its config and data under these: keep them out of the home folder.
  const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data') };
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'main.py'), 'def add(a, b):\n    ');
  writeFileSync(join(workspace, 'data.json'), BROKEN_JSON);
  writeFileSync(join(workspace, 'totals.py'), TOTALS);
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(settingsPath, JSON.stringify(userSettings(options.model.baseUrl), null, 2));
  // A machine setting: code-server is a remote window, which reads those from the Machine
  // (remote) settings, not from the user's.
  mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
  writeFileSync(join(userDataDir, 'Machine', 'settings.json'), JSON.stringify({ 'ghostls.server.command': [options.python, '-m', 'ghostls'] }, null, 2));
  execFileSync(options.codeServerBin, ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', VSIX, '--force'], {
    stdio: 'ignore',
    env,
  });
  const port = await freePort();
  const codeServer = Child.spawn(
    `code-server (${options.name})`,
    options.codeServerBin,
    [
      ...['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check'],
      ...(options.trusted ? ['--disable-workspace-trust'] : []),
      ...['--disable-getting-started-override', '--log', 'trace'],
      ...['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, workspace],
    ],
    { log: join(dir, 'code-server.log'), env },
  );
  const healthz = `http://127.0.0.1:${port}/healthz`;
  await waitFor('code-server to listen', async () => ((await fetch(healthz).then((r) => r.ok).catch(() => false)) ? true : undefined), 30_000);
  const page = await options.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  return {
    codeServer,
    context: {
      wb: new Workbench(page),
      page,
      model: options.model,
      workspace,
      userSettings: settingsPath,
      extensionLog: () => extensionLog(userDataDir),
      artifacts: ARTIFACTS,
    },
  };
}

async function main(): Promise<number> {
  const python = serverPython();
  const problems = preconditions(python);
  if (problems.length > 0) {
    for (const problem of problems) {
      console.error(`e2e: ${problem}`);
    }
    console.log('e2e: 0 passed, 1 failed');
    return 2;
  }
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const temp = mkdtempSync(join(tmpdir(), 'ghostls-e2e-'));
  console.log(`e2e: server interpreter ${python}; work folder ${temp}`);

  let model: ModelServer | undefined;
  let browser: Browser | undefined;
  const sessions: Session[] = [];
  const cleanUp = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    for (const session of sessions.splice(0)) {
      await session.codeServer.stop();
    }
    await model?.stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  }

  const results: Result[] = [];
  try {
    const codeServerBin = installCodeServer();
    const started = await ModelServer.start(python, 'pass', temp);
    model = started;
    const launched = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
    browser = launched;
    const common = { codeServerBin, temp, python, model: started, browser: launched };
    for (const [name, trusted, checks, title] of [
      ['trusted', true, CHECKS, 'a trusted workspace'],
      ['untrusted', false, UNTRUSTED_CHECKS, 'an untrusted workspace (Restricted Mode)'],
    ] as const) {
      console.log(`e2e: ${title}`);
      const session = await openSession({ ...common, name, trusted });
      sessions.push(session);
      await started.reset();
      await started.setRules({ default: 'pass' });
      results.push(...(await runChecks(checks, session.context)));
      await session.context.page.close();
      await session.codeServer.stop();
    }
  } catch (error: unknown) {
    console.log(`FAIL  the run went to its end — ${error instanceof Error ? error.message : String(error)}`);
    results.push({ name: 'the run went to its end', ok: false });
  } finally {
    await cleanUp();
  }

  const passed = results.filter((result) => result.ok).length;
  const failed = results.length - passed;
  console.log(`\ne2e: screenshots in ${ARTIFACTS}${failed > 0 ? `; logs in ${temp}` : ''}`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  if (failed === 0) {
    rmSync(temp, { recursive: true, force: true });
  }
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
