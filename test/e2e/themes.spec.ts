/**
 * Light and dark themes: the system preference is followed, the toggle overrides it (remembered),
 * and every text colour on every view reaches 4.5:1 against the background it is drawn on
 * (WCAG AA), computed from the browser's styles. Keyboard shortcuts and their help sheet too.
 */
import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { ROOT, startFlowcase, waitIndexed, type FlowcaseServer } from './flowcase-server';
import { openApp, screenshot, showView } from './app-page';

const DDOS = path.join(ROOT, 'test', 'fixtures', 'captures', 'syn-flood-ddos.pcap');

interface LowContrast { text: string; fg: string; bg: string; ratio: number; where: string }

/** Every visible text on the page whose colour is below 4.5:1 against its effective background. */
async function lowContrast(page: Page): Promise<LowContrast[]> {
  return page.evaluate(() => {
    type RGBA = [number, number, number, number];
    const parse = (c: string): RGBA | null => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const p = m[1]!.split(/[\s,/]+/).filter(Boolean).map((x) => (x.endsWith('%') ? (parseFloat(x) / 100) * (x === p0 ? 1 : 1) : parseFloat(x)));
      return [p[0]!, p[1]!, p[2]!, p.length > 3 ? p[3]! : 1];
    };
    const p0 = '';
    const over = (top: RGBA, under: RGBA): RGBA => {
      const a = top[3];
      return [top[0] * a + under[0] * (1 - a), top[1] * a + under[1] * (1 - a), top[2] * a + under[2] * (1 - a), 1];
    };
    const lum = (c: RGBA) => {
      const f = (v: number) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
    };
    const ratio = (a: RGBA, b: RGBA) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
    /** The background under an element: its own and its ancestors' backgrounds, composited. */
    const background = (el: Element): RGBA => {
      const layers: RGBA[] = [];
      for (let e: Element | null = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
      }
      let bg: RGBA = [255, 255, 255, 1];
      for (const l of layers.reverse()) bg = over(l, bg);
      return bg;
    };
    const opacity = (el: Element) => { let o = 1; for (let e: Element | null = el; e; e = e.parentElement) o *= parseFloat(getComputedStyle(e).opacity || '1'); return o; };
    const out: Array<{ text: string; fg: string; bg: string; ratio: number; where: string }> = [];
    const seen = new Set<Element>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? '').trim();
      const el = n.parentElement;
      if (!text || !el || seen.has(el)) continue;
      seen.add(el);
      const r = el.getBoundingClientRect();
      const st = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || st.visibility === 'hidden' || st.display === 'none') continue;
      if (el.closest('[aria-hidden="true"], button:disabled, .probe, .sr')) continue;
      const isSvg = el instanceof SVGElement;
      const fgRaw = parse(isSvg ? st.fill : st.color);
      if (!fgRaw) continue;
      const bg = background(isSvg ? (el.closest('svg')?.parentElement ?? el) : el);
      const fg = over([fgRaw[0], fgRaw[1], fgRaw[2], fgRaw[3] * opacity(el)], bg);
      const q = ratio(fg, bg);
      if (q < 4.5) out.push({ text: text.slice(0, 40), fg: fg.slice(0, 3).map(Math.round).join(','), bg: bg.slice(0, 3).map(Math.round).join(','), ratio: Math.round(q * 100) / 100, where: `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}` });
    }
    return out;
  });
}

async function tourWithContrast(page: Page, theme: string, shots: boolean, testInfo: import('@playwright/test').TestInfo): Promise<LowContrast[]> {
  const bad: LowContrast[] = [];
  const check = async (name: string) => {
    for (const b of await lowContrast(page)) bad.push({ ...b, where: `${theme}/${name}: ${b.where}` });
    if (shots) await screenshot(page, testInfo, `${theme}-${name}`);
  };
  await showView(page, 'overview');
  await expect(page.getByTestId('overview')).toBeVisible();
  await check('overview');
  await showView(page, 'packets');
  await page.getByTestId('packet-row').nth(2).click();
  await expect(page.getByTestId('hex-view')).toBeVisible();
  await check('packets');
  await showView(page, 'timeline');
  await expect(page.getByTestId('timeline-bar').first()).toBeAttached();
  await check('timeline');
  await showView(page, 'conversations');
  await expect(page.getByTestId('flow-row').first()).toBeVisible();
  await page.getByTestId('conn-state-legend').locator('summary').click();
  await check('conversations');
  await showView(page, 'endpoints');
  await expect(page.getByTestId('host-row').first()).toBeVisible();
  await check('endpoints');
  await showView(page, 'findings');
  await page.getByTestId('finding-card').first().click();
  await expect(page.getByTestId('finding-detail')).toBeVisible();
  await expect(page.getByTestId('evidence-roles')).toBeVisible();
  await check('finding');
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcuts-sheet')).toBeVisible();
  await check('shortcuts');
  await page.keyboard.press('Escape');
  return bad;
}

test.describe('themes and shortcuts', () => {
  let server: FlowcaseServer;
  test.beforeAll(async () => {
    server = await startFlowcase(DDOS);
    await waitIndexed(server);
  });
  test.afterAll(async () => { await server?.stop(); });

  test('the light theme: every text colour is at least 4.5:1', async ({ page }, testInfo) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await openApp(page, server);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    expect(await tourWithContrast(page, 'light', true, testInfo)).toEqual([]);
  });

  test('the dark theme follows the system preference; every text colour is at least 4.5:1', async ({ page }, testInfo) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await openApp(page, server);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).not.toBe('rgb(238, 240, 243)');
    expect(await tourWithContrast(page, 'dark', true, testInfo)).toEqual([]);
  });

  test('the toggle overrides the system and is remembered', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await openApp(page, server);
    const toggle = page.getByTestId('theme-toggle');
    await expect(toggle).toHaveAttribute('data-theme-preference', 'system');
    await toggle.click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(toggle).toHaveAttribute('data-theme-preference', 'dark');
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.getByTestId('theme-toggle').click();
    await page.getByTestId('theme-toggle').click();
    await expect(page.getByTestId('theme-toggle')).toHaveAttribute('data-theme-preference', 'system');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  });

  test('keyboard: Ctrl+1…6 switch views, n/p step through findings, c follows a conversation, ? shows the sheet', async ({ page }) => {
    await openApp(page, server);
    const views = ['overview', 'timeline', 'packets', 'conversations', 'endpoints', 'findings'] as const;
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    for (let i = views.length - 1; i >= 0; i--) {
      await page.keyboard.press(`Control+${i + 1}`);
      await expect(page.getByTestId(`nav-${views[i]}`)).toHaveAttribute("aria-current", "page");
    }
    await page.keyboard.press('Alt+3');
    await expect(page.getByTestId('nav-packets')).toHaveAttribute("aria-current", "page");
    await page.keyboard.press('n');
    await expect(page.getByTestId('active-finding')).toBeVisible();
    const first = await page.getByTestId('active-finding').getAttribute('data-finding-id');
    await page.keyboard.press('p');
    await expect(page.getByTestId('active-finding')).toHaveAttribute('data-finding-id', first!);
    await expect(page.getByTestId('packet-count')).toHaveAttribute('data-count', /^\d+$/);
    const row = page.getByTestId('packet-row').nth(1);
    const id = await row.getAttribute('data-id');
    await row.click();
    await expect(page.getByTestId('packet-detail')).toHaveAttribute('data-id', id!);
    await row.press('c');
    await expect(page.getByTestId('chip-filter')).toBeVisible();
    await expect(page.getByTestId('chip-filter')).toContainText(/stream|ip\.addr/);
    await page.locator('body').press('?');
    await expect(page.getByTestId('shortcuts-sheet')).toContainText('Next finding');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('shortcuts-sheet')).toHaveCount(0);
  });
});
