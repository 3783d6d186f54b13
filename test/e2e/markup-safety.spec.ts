import fs from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import { XSS_CAPTURE, startFlowcase, waitIndexed, type FlowcaseServer } from './flowcase-server';
import { openApp, screenshot, showView } from './app-page';

/** Anything that would show markup from the capture was parsed as HTML instead of shown as text. */
async function injectedMarkup(page: Page) {
  return page.evaluate(() => {
    const w = window as unknown as { __xss: { fired: string[]; violations: string[] } };
    const handlers = [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).map((el) => el.outerHTML.slice(0, 120));
    const inlineScripts = [...document.querySelectorAll('script')].filter((s) => !s.src).map((s) => s.outerHTML.slice(0, 120));
    const foreignScripts = [...document.querySelectorAll('script[src]')].map((s) => (s as HTMLScriptElement).src).filter((src) => new URL(src).origin !== location.origin);
    return {
      fired: w.__xss.fired,
      violations: w.__xss.violations,
      imgWithOnerror: document.querySelectorAll('img[onerror]').length,
      handlers,
      inlineScripts,
      foreignScripts,
      iframes: document.querySelectorAll('iframe, object, embed').length,
      text: document.body.innerText,
    };
  });
}

test.describe('markup inside packets', () => {
  test.skip(!fs.existsSync(XSS_CAPTURE), `fixture ${XSS_CAPTURE} has not been generated yet`);
  let server: FlowcaseServer;
  test.beforeAll(async () => {
    server = await startFlowcase(XSS_CAPTURE);
    await waitIndexed(server);
  });
  test.afterAll(async () => { await server?.stop(); });

  test('DNS names, Host and User-Agent render as text and no script runs', async ({ page }, testInfo) => {
    const dialogs: string[] = [];
    page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
    await page.addInitScript(() => {
      const state = { fired: [] as string[], violations: [] as string[] };
      (window as unknown as { __xss: typeof state }).__xss = state;
      for (const name of ['alert', 'confirm', 'prompt'] as const) {
        (window as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => { state.fired.push(`${name}(${args.join(',')})`); return null; };
      }
      document.addEventListener('securitypolicyviolation', (e) => state.violations.push(`${e.violatedDirective}: ${e.blockedURI}`));
    });

    await openApp(page, server);
    let sawLiteralMarkup = false;
    for (const view of ['overview', 'packets', 'conversations', 'endpoints'] as const) {
      await showView(page, view);
      await page.waitForTimeout(300);
      if (view === 'packets') {
        await expect(page.getByTestId('packet-row').first()).toBeVisible();
        // Open every packet once, so the detail tree renders the names too.
        const rows = page.getByTestId('packet-row');
        const n = Math.min(await rows.count(), 20);
        for (let i = 0; i < n; i++) {
          await rows.nth(i).click();
          await expect(page.getByTestId('packet-detail')).toBeVisible();
        }
      }
      const r = await injectedMarkup(page);
      expect(r.fired, `script ran on ${view}`).toEqual([]);
      expect(r.violations, `CSP blocked injected content on ${view}`).toEqual([]);
      expect(r.imgWithOnerror, `img[onerror] on ${view}`).toBe(0);
      expect(r.handlers, `inline event handlers on ${view}`).toEqual([]);
      expect(r.inlineScripts, `inline scripts on ${view}`).toEqual([]);
      expect(r.foreignScripts).toEqual([]);
      expect(r.iframes).toBe(0);
      if (/<\s*(script|img|svg|iframe)/i.test(r.text)) sawLiteralMarkup = true;
      await screenshot(page, testInfo, `markup-${view}`);
    }
    expect(dialogs).toEqual([]);
    expect(sawLiteralMarkup, 'the markup from the capture is visible as literal text').toBe(true);
  });
});
