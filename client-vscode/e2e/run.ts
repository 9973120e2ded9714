/**
 * End-to-end test in a real VS Code: code-server 4.100.3 (VS Code 1.100.3) with the packaged
 * extension, driven through Debian's headless Chromium, against the ghostls server and the
 * project's local model server. Prints one line per check and "N passed, N failed".
 *
 * Environment: GHOSTLS_E2E_PYTHON (an interpreter with ghostls installed; default: the repo's
 * .venv or venv, else python3), GHOSTLS_E2E_CACHE (where code-server is installed; default
 * ~/.cache/ghostls-e2e), CHROMIUM (default /usr/bin/chromium).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { ModelServer } from './modelServer';
import { Child, freePort, waitFor } from './processes';
import { Workbench } from './workbench';

const ROOT = resolve(__dirname, '..', '..');
const REPO = resolve(ROOT, '..');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const VSIX = join(ROOT, 'ghostls.vsix');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CACHE = process.env.GHOSTLS_E2E_CACHE ?? join(homedir(), '.cache', 'ghostls-e2e');

/** What the model answers; the first line of the file asks for it. */
const ANSWER = 'a + b';

function python(): string {
  const candidates = [process.env.GHOSTLS_E2E_PYTHON, join(REPO, '.venv', 'bin', 'python'), join(REPO, 'venv', 'bin', 'python')];
  return candidates.find((candidate): candidate is string => candidate !== undefined && existsSync(candidate)) ?? 'python3';
}

interface Result {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly ms: number;
}

class Checks {
  readonly results: Result[] = [];

  constructor(private readonly workbench: () => Workbench | undefined) {}

  async check(name: string, body: () => Promise<string | void>): Promise<boolean> {
    const started = Date.now();
    try {
      const detail = (await body()) ?? '';
      this.record({ name, ok: true, detail, ms: Date.now() - started });
      return true;
    } catch (error: unknown) {
      const detail = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
      const index = this.results.length + 1;
      await this.workbench()?.screenshot(join(ARTIFACTS, `failed-${String(index).padStart(2, '0')}.png`)).catch(() => undefined);
      this.record({ name, ok: false, detail, ms: Date.now() - started });
      return false;
    }
  }

  private record(result: Result): void {
    this.results.push(result);
    const mark = result.ok ? 'PASS' : 'FAIL';
    const detail = result.detail === '' ? '' : ` — ${result.detail}`;
    console.log(`${mark}  ${result.name} (${(result.ms / 1000).toFixed(1)} s)${detail}`);
  }
}

function installCodeServer(): string {
  const script = join(ROOT, 'e2e', 'install-code-server.sh');
  const output = execFileSync('bash', [script, CACHE], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return output.trim().split('\n').pop() ?? '';
}

function writeWorkspace(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.py'), 'def add(a, b):\n    ');
  writeFileSync(join(dir, 'notes.md'), '# Notes\n');
}

function writeUserSettings(userDataDir: string, baseUrl: string, serverPython: string): void {
  const settings = {
    'ghostls.baseUrl': baseUrl,
    'ghostls.server.command': [serverPython, '-m', 'ghostls'],
    'ghostls.trace.server': 'messages',
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
  };
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

async function main(): Promise<number> {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const serverPython = python();
  for (const [what, ok, fix] of [
    ['the packaged extension', existsSync(VSIX), 'npm run package'],
    ['Chromium', existsSync(CHROMIUM), 'apt-get install -y chromium'],
  ] as const) {
    if (!ok) {
      console.error(`e2e: ${what} is missing; run: ${fix}`);
      return 2;
    }
  }
  try {
    execFileSync(serverPython, ['-m', 'ghostls', '--version'], { stdio: 'ignore' });
  } catch {
    console.error(`e2e: ${serverPython} cannot run ghostls; set GHOSTLS_E2E_PYTHON to an interpreter that has it (pip install -e .)`);
    return 2;
  }

  const temp = mkdtempSync(join(tmpdir(), 'ghostls-e2e-'));
  const workspace = join(temp, 'workspace');
  const userDataDir = join(temp, 'user-data');
  const extensionsDir = join(temp, 'extensions');
  writeWorkspace(workspace);

  let model: ModelServer | undefined;
  let codeServer: Child | undefined;
  let browser: Browser | undefined;
  const cleanUp = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    await codeServer?.stop();
    await model?.stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  }
  let workbench: Workbench | undefined;
  const checks = new Checks(() => workbench);
  console.log(`e2e: server interpreter ${serverPython}; logs in ${temp}`);

  try {
    const codeServerBin = installCodeServer();
    model = await ModelServer.start(serverPython, 'pass', temp);
    await model.setRules({ rules: [{ contains: 'def add(a, b)', text: ANSWER }] });
    writeUserSettings(userDataDir, model.baseUrl, serverPython);
    execFileSync(codeServerBin, ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', VSIX, '--force'], {
      stdio: 'ignore',
      env: { ...process.env, XDG_CONFIG_HOME: join(temp, 'config'), XDG_DATA_HOME: join(temp, 'data') },
    });

    const port = await freePort();
    codeServer = Child.spawn(
      'code-server',
      codeServerBin,
      [
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--auth',
        'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--user-data-dir',
        userDataDir,
        '--extensions-dir',
        extensionsDir,
        workspace,
      ],
      { log: join(temp, 'code-server.log'), env: { ...process.env, XDG_CONFIG_HOME: join(temp, 'config'), XDG_DATA_HOME: join(temp, 'data') } },
    );
    await waitFor('code-server to listen', async () => (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok).catch(() => false)) || undefined, 30_000);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    workbench = new Workbench(page);
    const wb = workbench;
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);

    const started = await checks.check('VS Code opens with the extension, and the server reports ready', async () => {
      await wb.ready();
      const text = await wb.waitForStatus('ghostls ready', (t) => /^\$\(sparkle\) ghostls( \d+ ms)?$/.test(t), 60_000);
      return `status bar: "${text}"`;
    });
    if (!started) {
      throw new Error('the server did not start, so the other checks cannot run (see the ghostls log under the user data folder)');
    }

    await checks.check('ghost text appears while typing in a Python file', async () => {
      await wb.openFile('main.py');
      await page.keyboard.press('Control+End');
      await page.keyboard.type('return ', { delay: 60 });
      const ghost = await waitFor('ghost text', async () => ((await wb.ghostText()).includes(ANSWER) ? wb.ghostText() : undefined), 15_000);
      await wb.screenshot(join(ARTIFACTS, '01-ghost-text.png'));
      return `ghost text: "${ghost.trim()}"`;
    });

    await checks.check('Tab accepts the suggestion into the document', async () => {
      await page.keyboard.press('Tab');
      await page.keyboard.press('Control+S');
      const saved = await waitFor(
        'main.py to hold the suggestion',
        async () => {
          const text = readFileSync(join(workspace, 'main.py'), 'utf8');
          return text.includes(`return ${ANSWER}`) ? text : undefined;
        },
        10_000,
      );
      await wb.screenshot(join(ARTIFACTS, '02-accepted.png'));
      return `main.py: ${JSON.stringify(saved)}`;
    });

    await checks.check('the status bar shows the latency of the last suggestion', async () => {
      const text = await wb.waitForStatus('a latency', (t) => /^\$\(sparkle\) ghostls \d+(\.\d)? m?s$/.test(t), 10_000);
      await wb.statusItem().screenshot({ path: join(ARTIFACTS, '03-status-latency.png') });
      return `status bar: "${text}"`;
    });

    await checks.check('"ghostls: Show Statistics" opens the counters and percentiles', async () => {
      await wb.runCommand('ghostls: Show Statistics');
      const preview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame').locator('h1', { hasText: 'ghostls statistics' });
      await preview.waitFor({ timeout: 20_000 });
      await wb.screenshot(join(ARTIFACTS, '04-statistics.png'));
      await page.keyboard.press('Control+W');
    });

    await checks.check('clicking the status bar item opens the ghostls menu', async () => {
      await wb.statusItem().click();
      const rows = page.locator('.quick-input-list .monaco-list-row');
      await rows.first().waitFor();
      const labels = (await rows.allTextContents()).map((label) => label.replace(/\s+/g, ' ').trim());
      await wb.screenshot(join(ARTIFACTS, '05-menu.png'));
      await page.keyboard.press('Escape');
      const wanted = ['Disable ghostls', 'Disable for python', 'Show statistics', 'Show logs', 'Restart server'];
      const missing = wanted.filter((label) => !labels.some((row) => row.includes(label)));
      if (missing.length > 0) {
        throw new Error(`menu lacks ${missing.join(', ')}; it shows ${labels.join(' | ')}`);
      }
      return labels.join(' | ');
    });

    await checks.check('a failing endpoint shows an error in the status bar, with at most one notification', async () => {
      await model?.reset();
      await model?.setRules({ default: { fault: { kind: 'status', status: 500 } } });
      await wb.editor().click();
      await page.keyboard.press('Control+End');
      for (const line of ['x = ', 'y = ', 'z = ']) {
        await page.keyboard.press('Enter');
        await page.keyboard.type(line, { delay: 60 });
        await page.keyboard.press('Alt+Backslash');
        await page.waitForTimeout(800);
      }
      const text = await wb.waitForStatus('an error state', (t) => /error/.test(t), 15_000);
      const notifications = await wb.notifications();
      await wb.screenshot(join(ARTIFACTS, '06-endpoint-error.png'));
      if (notifications.length > 1) {
        throw new Error(`${notifications.length} notifications: ${notifications.join(' | ')}`);
      }
      return `status bar: "${text}"; notifications: ${JSON.stringify(notifications)}`;
    });
  } catch (error: unknown) {
    await checks.check('the run went to its end', () => Promise.reject(error));
  } finally {
    await cleanUp();
  }

  const passed = checks.results.filter((result) => result.ok).length;
  const failed = checks.results.length - passed;
  console.log(`\ne2e: screenshots in ${ARTIFACTS}`);
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
