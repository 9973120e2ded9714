/**
 * The checks of the end-to-end run, in order; each is what a person would do and see. They share
 * one VS Code window, so a check may rely on the ones before it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { ModelServer } from './modelServer';
import { waitFor } from './processes';
import { Workbench } from './workbench';

export interface Context {
  readonly wb: Workbench;
  readonly page: Page;
  readonly model: ModelServer;
  readonly workspace: string;
  readonly userSettings: string;
  readonly extensionLog: () => string;
  readonly artifacts: string;
}

export interface Check {
  readonly name: string;
  /** Stop the run when this check fails: the later ones need what it checks. */
  readonly essential?: boolean;
  readonly run: (context: Context) => Promise<string>;
}

/** What the model answers for the function the test types. */
export const ANSWER = 'a + b';
/** A JSON file with an error (a trailing comma) that VS Code's JSON support reports. */
export const BROKEN_JSON = '{\n  "name": "ghostls",\n  "fast": true,\n}\n';
/** A file where renaming the first `result` implies renaming the others: the next edit. */
export const TOTALS = 'def total(values):\n    result = 0\n    for value in values:\n        result += value\n    return result\n';
const RENAMED = TOTALS.replace(/result/g, 'acc');
const FIXED_JSON = '{\n  "name": "ghostls",\n  "fast": true\n}';
const API_KEY = 'sk-e2e-0123456789abcdef';
const READY = /^\$\(sparkle\) ghostls( \d+ ms)?$/;
const READY_WITH_LATENCY = /^\$\(sparkle\) ghostls \d+ ms$/;

function readMain(workspace: string): string {
  return readFileSync(join(workspace, 'main.py'), 'utf8');
}

export const CHECKS: readonly Check[] = [
  {
    name: 'VS Code opens with the extension, and the server reports ready',
    essential: true,
    run: async ({ wb }) => {
      await wb.ready();
      return `status bar: "${await wb.waitForStatus('ghostls ready', (t) => READY.test(t), 60_000)}"`;
    },
  },
  {
    name: 'ghost text appears while typing in a Python file',
    essential: true,
    run: async ({ wb, page, model, artifacts }) => {
      await model.setRules({ rules: [{ contains: 'def add(a, b)', text: ANSWER }] });
      await wb.openFile('main.py');
      await page.keyboard.press('Control+End');
      await page.keyboard.type('return ', { delay: 60 });
      const ghost = await waitFor('ghost text', async () => {
        const text = await wb.ghostText();
        return text.includes(ANSWER) ? text : undefined;
      }, 15_000);
      await wb.screenshot(join(artifacts, '01-ghost-text.png'));
      return `ghost text: "${ghost.trim()}"`;
    },
  },
  {
    name: 'Tab accepts the suggestion into the document and tells the server (ghostls.accepted)',
    run: async ({ wb, page, workspace, artifacts, extensionLog }) => {
      await page.keyboard.press('Tab');
      await page.keyboard.press('Control+S');
      const saved = await waitFor('main.py to hold the suggestion', async () => {
        const text = readMain(workspace);
        return text.includes(`return ${ANSWER}`) ? text : undefined;
      }, 10_000);
      await wb.screenshot(join(artifacts, '02-accepted.png'));
      await waitFor('workspace/executeCommand in the LSP trace', async () => (/Sending request 'workspace\/executeCommand/.test(extensionLog()) ? true : undefined), 5_000);
      return `main.py: ${JSON.stringify(saved)}`;
    },
  },
  {
    name: 'the status bar shows the latency of the last suggestion',
    run: async ({ wb, artifacts }) => {
      const text = await wb.waitForStatus('a latency', (t) => READY_WITH_LATENCY.test(t), 10_000);
      await wb.statusItem().screenshot({ path: join(artifacts, '03-status-latency.png') });
      return `status bar: "${text}"`;
    },
  },
  {
    name: 'a next edit: after renaming one use, the rest shows struck and rewritten; Tab applies it',
    run: async ({ wb, page, model, workspace, artifacts, extensionLog }) => {
      await model.reset();
      await model.setRules({
        rules: [
          { contains: 'Editable window', text: `\`\`\`python\n${RENAMED}\`\`\`` },
          { contains: '<CURSOR>', text: '' },
        ],
      });
      await wb.openFile('totals.py');
      await page.keyboard.press('Control+G');
      await page.keyboard.type('2');
      await page.keyboard.press('Enter');
      await page.keyboard.press('End');
      await page.keyboard.press('Home');
      await page.keyboard.press('Shift+Control+ArrowRight');
      await page.keyboard.type('acc', { delay: 40 });
      const shown = await waitFor('the next edit shown', async () => {
        return /acc \+= value ⏎\s+return acc/.exec(await wb.attachedText())?.[0];
      }, 15_000);
      const struck = await wb.struckText();
      if (!struck.includes('result += value') || !struck.includes('return result')) {
        throw new Error(`the replaced text is not struck through: "${struck}"`);
      }
      const hint = page.locator('.statusbar-item', { hasText: 'Tab: next edit' });
      await hint.waitFor({ timeout: 5_000 });
      await wb.screenshot(join(artifacts, '03b-next-edit.png'));
      await waitFor('didShowInlineEdit in the LSP trace', async () => (/Sending notification 'textDocument\/didShowInlineEdit/.test(extensionLog()) ? true : undefined), 5_000);
      await page.keyboard.press('Tab');
      await waitFor('the edit applied in the editor', async () => ((await wb.editor().textContent())?.includes('result') === false ? true : undefined), 10_000);
      await waitFor(
        'totals.py saved with the whole rename',
        async () => {
          await page.keyboard.press('Control+S');
          return readFileSync(join(workspace, 'totals.py'), 'utf8') === RENAMED ? true : undefined;
        },
        10_000,
        500,
      );
      await hint.waitFor({ state: 'hidden', timeout: 5_000 });
      await waitFor('the accept command in the LSP trace', async () => (/ghostls\.nextEditAccepted/.test(extensionLog()) ? true : undefined), 5_000);
      return `shown after the struck text: "${shown}"; struck: "${struck}"; totals.py renamed`;
    },
  },
  {
    name: '"ghostls: Set API Key" restarts the server, which sends the key; settings and logs never hold it',
    run: async ({ wb, page, model, userSettings, extensionLog }) => {
      const starts = (): number => extensionLog().split('ghostls: starting').length;
      const before = starts();
      await wb.runCommand('ghostls: Set API Key');
      const input = page.locator('.quick-input-widget input[type="password"]');
      await input.waitFor();
      await input.fill(API_KEY);
      await page.keyboard.press('Enter');
      await waitFor('the server to restart', async () => (starts() > before ? true : undefined), 15_000);
      await wb.waitForStatus('the restarted server', (t) => READY.test(t), 30_000);
      await model.reset();
      await wb.editor().click();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('# ', { delay: 40 });
      const request = await waitFor(
        'a model request',
        async () => {
          await wb.runCommand('ghostls: Trigger Suggestion');
          return (await model.requests()).at(-1);
        },
        15_000,
        1000,
      );
      const authorization = request.headers?.authorization ?? '';
      if (authorization !== `Bearer ${API_KEY}`) {
        throw new Error(`the model request's Authorization header is "${authorization}"`);
      }
      const log = extensionLog();
      if (!log.includes("Sending request 'initialize")) {
        throw new Error('the LSP trace is not in the ghostls log, so it cannot be checked');
      }
      for (const [where, text] of [['settings.json', readFileSync(userSettings, 'utf8')], ['the LSP trace', log]] as const) {
        if (text.includes(API_KEY)) {
          throw new Error(`the key appears in ${where}`);
        }
      }
      await wb.clearNotifications();
      return 'Authorization: Bearer sk-e2e-…; absent from settings.json and the LSP trace';
    },
  },
  {
    name: '"ghostls: Show Statistics" shows the counters and latency percentiles',
    run: async ({ wb, page, artifacts }) => {
      await wb.runCommand('ghostls: Show Statistics');
      const heading = page
        .frameLocator('iframe.webview.ready')
        .frameLocator('iframe#active-frame')
        .locator('h1', { hasText: 'ghostls statistics' });
      await heading.waitFor({ timeout: 20_000 });
      await wb.screenshot(join(artifacts, '04-statistics.png'));
      await page.keyboard.press('Control+W');
      return 'Markdown preview "ghostls statistics"';
    },
  },
  {
    name: 'clicking the status bar item opens the ghostls menu',
    run: async ({ wb, page, artifacts }) => {
      await wb.editor().click();
      const labels = await wb.openMenu();
      await wb.screenshot(join(artifacts, '05-menu.png'));
      await page.keyboard.press('Escape');
      const wanted = ['Disable ghostls', 'Disable for python', 'Show statistics', 'Show logs', 'Restart server'];
      const missing = wanted.filter((label) => !labels.some((row) => row.includes(label)));
      if (missing.length > 0) {
        throw new Error(`the menu lacks ${missing.join(', ')}; it shows ${labels.join(' | ')}`);
      }
      return labels.join(' | ');
    },
  },
  {
    name: '"Disable for python" in the menu turns ghostls off for Python files, "Enable" back on',
    run: async ({ wb, userSettings, artifacts }) => {
      await wb.editor().click();
      await wb.openMenu();
      await wb.pickMenuItem('Disable for python');
      const off = await wb.waitForStatus('ghostls off', (t) => /^\$\(circle-slash\) ghostls off$/.test(t), 10_000);
      const settings = JSON.parse(readFileSync(userSettings, 'utf8')) as Record<string, unknown>;
      if (JSON.stringify(settings['ghostls.disabledLanguages']) !== '["python"]') {
        throw new Error(`ghostls.disabledLanguages is ${JSON.stringify(settings['ghostls.disabledLanguages'])}`);
      }
      await wb.statusItem().screenshot({ path: join(artifacts, '06-status-disabled.png') });
      await wb.openMenu();
      await wb.pickMenuItem('Enable for python');
      const on = await wb.waitForStatus('ghostls on', (t) => READY.test(t), 10_000);
      return `"${off}", then "${on}"`;
    },
  },
  {
    name: 'the "Fix with AI" quick fix repairs the error VS Code reports in a JSON file',
    run: async ({ wb, page, model, workspace, artifacts }) => {
      await model.reset();
      await model.setRules({ rules: [{ contains: 'Task: fix this problem', text: FIXED_JSON }] });
      await wb.openFile('data.json');
      const squiggle = page.locator('.monaco-editor .squiggly-error').first();
      await squiggle.waitFor({ timeout: 20_000 });
      const box = await squiggle.boundingBox();
      if (box === null) {
        throw new Error('the error squiggle has no position');
      }
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.keyboard.press('Control+Period');
      const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Fix with AI' }).first();
      await fix.waitFor({ timeout: 10_000 });
      const title = ((await fix.textContent()) ?? '').trim();
      await wb.screenshot(join(artifacts, '07-quick-fix.png'));
      // The widget focuses its first entry: move to the fix (it may not be first) and take it.
      const rows = await page.locator('.action-widget .monaco-list-row').allTextContents();
      const index = rows.findIndex((row) => row.includes('Fix with AI'));
      for (let step = 0; step < index; step += 1) {
        await page.keyboard.press('ArrowDown');
      }
      await page.keyboard.press('Enter');
      await waitFor('the quick fix to change the editor', async () => ((await wb.editor().textContent())?.includes('"fast": true,') === false ? true : undefined), 15_000);
      await wb.editor().click();
      const fixed = await waitFor(
        'data.json to be saved as valid JSON',
        async () => {
          await page.keyboard.press('Control+S');
          try {
            return JSON.stringify(JSON.parse(readFileSync(join(workspace, 'data.json'), 'utf8')));
          } catch {
            return undefined;
          }
        },
        10_000,
        500,
      );
      return `"${title}" → ${fixed}`;
    },
  },
  {
    name: 'a failing endpoint shows an error in the status bar, with at most one notification',
    run: async ({ wb, page, model, artifacts }) => {
      await wb.clearNotifications();
      await model.reset();
      await model.setRules({ default: { fault: { kind: 'status', status: 500 } } });
      await wb.openFile('main.py');
      await page.keyboard.press('Control+End');
      for (const line of ['x = ', 'y = ', 'z = ', 'w = ']) {
        await page.keyboard.press('Enter');
        await page.keyboard.type(line, { delay: 60 });
        await page.keyboard.press('Alt+Backslash');
        await page.waitForTimeout(700);
      }
      const text = await wb.waitForStatus('an error state', (t) => /^\$\(error\) ghostls error$/.test(t), 15_000);
      const notifications = await wb.notifications();
      await wb.screenshot(join(artifacts, '08-endpoint-error.png'));
      if (notifications.length > 1) {
        throw new Error(`${notifications.length} notifications: ${notifications.join(' | ')}`);
      }
      return `status bar: "${text}"; notifications: ${JSON.stringify(notifications)}`;
    },
  },
  {
    name: 'a provider answering 429 turns the status bar to rate-limited',
    run: async ({ wb, page, model, artifacts }) => {
      await model.reset();
      await model.setRules({ default: { fault: { kind: 'status', status: 429, retry_after: 2 } } });
      await wb.editor().click();
      await page.keyboard.press('Control+End');
      const text = await waitFor(
        'a rate-limited state',
        async () => {
          await page.keyboard.press('Enter');
          await page.keyboard.type('v = ', { delay: 40 });
          await page.keyboard.press('Alt+Backslash');
          const status = await wb.statusText();
          return /^\$\(watch\) ghostls rate-limited$/.test(status) ? status : undefined;
        },
        20_000,
        1500,
      );
      await wb.statusItem().screenshot({ path: join(artifacts, '09-status-rate-limited.png') });
      await model.setRules({ default: 'pass' });
      return `status bar: "${text}"`;
    },
  },
  {
    name: 'a ghostls.server.command that does not exist (workspace settings) is reported once, in the status bar too',
    run: async ({ wb, workspace, artifacts }) => {
      await wb.clearNotifications();
      mkdirSync(join(workspace, '.vscode'), { recursive: true });
      writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'ghostls.server.command': ['/nonexistent/ghostls'] }));
      const text = await wb.waitForStatus('the start failure', (t) => /^\$\(error\) ghostls error$/.test(t), 15_000);
      const message = await waitFor('the notification', async () => (await wb.notifications()).find((item) => item.includes('/nonexistent/ghostls')), 10_000);
      await wb.screenshot(join(artifacts, '10-bad-server-command.png'));
      const count = (await wb.notifications()).length;
      if (count !== 1) {
        throw new Error(`${count} notifications: ${(await wb.notifications()).join(' | ')}`);
      }
      return `status bar: "${text}"; notification: "${message}"`;
    },
  },
];

/** Checks in a workspace opened in Restricted Mode (workspace trust on, trust declined). */
export const UNTRUSTED_CHECKS: readonly Check[] = [
  {
    name: 'in an untrusted workspace the server stays off and ghostls asks first',
    essential: true,
    run: async ({ wb, page, artifacts }) => {
      const decline = page.locator('.monaco-dialog-box .monaco-button', { hasText: "No, I don't trust the authors" });
      await decline.waitFor({ timeout: 60_000 });
      await decline.click();
      await wb.ready();
      const text = await wb.waitForStatus('ghostls off (untrusted)', (t) => /^\$\(shield\) ghostls off$/.test(t), 30_000);
      const prompt = page.locator('.notifications-toasts .notification-list-item', { hasText: 'Restricted Mode' });
      await prompt.waitFor({ timeout: 10_000 });
      await wb.screenshot(join(artifacts, '11-untrusted.png'));
      return `status bar: "${text}"`;
    },
  },
  {
    name: '"Start once" starts the server in the untrusted workspace',
    run: async ({ wb, page }) => {
      const prompt = page.locator('.notifications-toasts .notification-list-item', { hasText: 'Restricted Mode' });
      await prompt.locator('.monaco-button', { hasText: 'Start once' }).click();
      return `status bar: "${await wb.waitForStatus('ghostls ready', (t) => READY.test(t), 60_000)}"`;
    },
  },
];
