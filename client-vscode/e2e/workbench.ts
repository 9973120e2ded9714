/** Drives the VS Code workbench (code-server) in the browser, as a person would. */
import { Locator, Page } from 'playwright-core';
import { waitFor } from './processes';

export class Workbench {
  constructor(readonly page: Page) {}

  async ready(timeoutMs = 60_000): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
    await this.page.locator('.statusbar').waitFor({ timeout: timeoutMs });
  }

  /** Opens a workspace file with Ctrl+P and waits for its editor. */
  async openFile(name: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(name);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click();
    await this.page.locator(`.tab.active[aria-label*="${name}"], .tab.active:has-text("${name}")`).first().waitFor();
    await this.editor().click();
  }

  editor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
  }

  /** Runs a command by its title from the command palette (F1). */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor();
    await this.page.keyboard.press('Enter');
  }

  statusItem(): Locator {
    return this.page.locator('.statusbar-item', { hasText: 'ghostls' }).first();
  }

  /** The item's text as the extension set it, icon included: "$(sparkle) ghostls 42 ms". */
  async statusText(): Promise<string> {
    const item = this.statusItem();
    const text = ((await item.textContent()) ?? '').replace(/\s+/g, ' ').trim();
    const iconClass = (await item.locator('.codicon').first().getAttribute('class').catch(() => null)) ?? '';
    const icon = /codicon-([\w-]+)/.exec(iconClass.replace(/codicon-modifier-[\w-]+/g, ''))?.[1];
    return icon === undefined ? text : `$(${icon}) ${text}`;
  }

  async waitForStatus(what: string, matches: (text: string) => boolean, timeoutMs: number): Promise<string> {
    let last = '';
    try {
      return await waitFor(
        what,
        async () => {
          last = await this.statusText().catch(() => '');
          return matches(last) ? last : undefined;
        },
        timeoutMs,
      );
    } catch (error: unknown) {
      throw new Error(`${String(error)}; the status bar said "${last}"`);
    }
  }

  async ghostText(): Promise<string> {
    const parts = await this.page.locator('.monaco-editor [class*="ghost-text"]').allTextContents();
    return parts.join('').replace(/\u00a0/g, ' ');
  }

  /** The editor's text shown struck through (decorations), joined. */
  async struckText(): Promise<string> {
    const parts = await this.editor()
      .locator('span')
      .evaluateAll((spans) =>
        spans
          .filter((span) => span.children.length === 0 && (span.ownerDocument.defaultView?.getComputedStyle(span).textDecorationLine ?? '').includes('line-through'))
          .map((span) => span.textContent ?? ''),
      );
    return parts.join('').replace(/\u00a0/g, ' ');
  }

  /** The text decorations attach after the editor's text (rendered as CSS ::after content,
   * or as injected text of their own), joined. */
  async attachedText(): Promise<string> {
    const parts = await this.editor()
      .locator('span')
      .evaluateAll((spans) =>
        spans.map((span) => {
          const content = span.ownerDocument.defaultView?.getComputedStyle(span, '::after').content ?? 'none';
          if (content !== 'none' && content !== 'normal' && content.startsWith('"')) {
            return JSON.parse(content) as string;
          }
          return span.className.includes('ced-') && span.children.length === 0 ? (span.textContent ?? '') : '';
        }),
      );
    return parts.join('').replace(/\u00a0/g, ' ');
  }

  /** Clicks the status bar item and returns the menu's entries. */
  async openMenu(): Promise<string[]> {
    await this.statusItem().click();
    const labels = this.page.locator('.quick-input-list .monaco-list-row .label-name');
    await labels.first().waitFor();
    return (await labels.allTextContents()).map((label) => label.replace(/\s+/g, ' ').trim());
  }

  async pickMenuItem(label: string): Promise<void> {
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click();
  }

  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
    await this.page.locator('.notifications-toasts .notification-list-item').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => undefined);
  }

  async notifications(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-list-item-message').allTextContents();
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path });
  }
}
