/**
 * Host graph, per-host panel and ladder (issue 9) on the generated incidents, in browser mode.
 * Screenshots for docs/ are taken with FLOWCASE_DOC_SCREENSHOTS=1 (they go to docs/graph-*.png).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { ROOT, SHARED_CAPTURES, startFlowcase, waitIndexed, type FlowcaseServer } from './flowcase-server';
import { openApp, screenshot } from './app-page';
import { Rng, Scene, TcpConn, macOf } from '../support/make-fixtures';
import { dnsMessage, udpFrame } from '../support/packet-builder';
import { writePcap } from '../support/pcap-writer';

const CAPTURES = path.join(ROOT, 'test', 'fixtures', 'captures');
const SYN_FLOOD = path.join(CAPTURES, 'syn-flood-443.pcap');
const DDOS = path.join(CAPTURES, 'syn-flood-ddos.pcap');
const DNS_OUTAGE = path.join(CAPTURES, 'dns-port-unreachable.pcap');
const DOCS = process.env.FLOWCASE_DOC_SCREENSHOTS === '1' ? path.join(ROOT, 'docs') : null;

const HOSTILE = '<img src=x onerror=alert(1)>.evil.example';

/** A DNS answer names 198.51.100.66 with markup; the client then talks to it. */
function hostileNamesCapture(dir: string): string {
  const sc = new Scene();
  const client = '192.0.2.66';
  const resolver = '192.0.2.53';
  const evil = '198.51.100.66';
  sc.at(1, udpFrame({ src: client, dst: resolver, sport: 41000, dport: 53, payload: dnsMessage({ id: 7, qname: HOSTILE }), macSrc: macOf(client), macDst: macOf(resolver) }));
  sc.at(1.01, udpFrame({ src: resolver, dst: client, sport: 53, dport: 41000,
    payload: dnsMessage({ id: 7, qname: HOSTILE, response: true, answers: [{ name: HOSTILE, type: 1, data: evil }] }), macSrc: macOf(resolver), macDst: macOf(client) }));
  const c = new TcpConn(sc, client, 42000, evil, 443, new Rng(3).int(1, 2 ** 31));
  c.handshake(2, 0.01);
  c.close(2.5, 0.01);
  const file = path.join(dir, 'hostile-names.pcap');
  writePcap(file, sc.frames);
  return file;
}

async function openGraph(page: Page, server: FlowcaseServer): Promise<void> {
  await openApp(page, server);
  await page.getByTestId('nav-graph').click();
  await expect(page.getByTestId('host-graph')).toBeVisible();
  await expect(page.getByTestId('host-graph')).toHaveAttribute('data-settled', 'true', { timeout: 30_000 });
}

async function clickNode(page: Page, id: string): Promise<void> {
  const item = page.locator(`[data-testid="graph-node"][data-id="${id}"]`);
  const x = Number(await item.getAttribute('data-sx'));
  const y = Number(await item.getAttribute('data-sy'));
  await page.getByTestId('graph-canvas').click({ position: { x, y } });
}

async function docShot(page: Page, name: string): Promise<void> {
  if (DOCS) await page.screenshot({ path: path.join(DOCS, `${name}.png`) });
}

test.describe('host graph on the SYN flood', () => {
  let server: FlowcaseServer;
  test.beforeAll(async () => {
    server = await startFlowcase(SYN_FLOOD);
    await waitIndexed(server);
  });
  test.afterAll(async () => { await server?.stop(); });

  test('shows 192.0.2.1 with the attacker edge half-open; clicking the target opens its panel with findings', async ({ page }, testInfo) => {
    await openGraph(page, server);
    const target = page.locator('[data-testid="graph-node"][data-id="192.0.2.1"]');
    await expect(target).toHaveAttribute('data-role', 'target');
    const attack = page.locator('[data-testid="graph-edge"][data-src="203.0.113.0"][data-dst="192.0.2.1"]');
    await expect(attack).toHaveAttribute('data-outcome', 'half-open');
    // The canvas really paints that edge in the half-open colour: sample a pixel on its midpoint.
    const colour = await page.evaluate(() => {
      const node = (id: string) => document.querySelector(`[data-testid="graph-node"][data-id="${id}"]`) as HTMLElement;
      const a = node('203.0.113.0'), b = node('192.0.2.1');
      const canvas = document.querySelector('[data-testid="graph-edges-canvas"]') as HTMLCanvasElement;
      const dpr = window.devicePixelRatio || 1;
      const ax = Number(a.dataset.sx), ay = Number(a.dataset.sy), bx = Number(b.dataset.sx), by = Number(b.dataset.sy);
      const ctx = canvas.getContext('2d')!;
      const px = ctx.getImageData(Math.round(((ax + bx) / 2) * dpr), Math.round(((ay + by) / 2) * dpr), 1, 1).data;
      return [px[0], px[1], px[2]];
    });
    expect(colour[0]).toBeGreaterThan(180); // #e53935: red, not the grey of "other" or green of "completed"
    expect(colour[1]).toBeLessThan(120);
    await docShot(page, 'graph-syn-flood');
    await clickNode(page, '192.0.2.1');
    const panel = page.getByTestId('host-panel');
    await expect(panel).toHaveAttribute('data-addr', '192.0.2.1');
    await expect(panel.getByTestId('host-panel-findings')).toContainText('finding target');
    await expect(panel.getByTestId('host-panel-findings')).toContainText('SYN flood');
    await screenshot(page, testInfo, 'graph-syn-flood-panel');
    await page.keyboard.press('Escape');
    await expect(panel).toHaveCount(0);
  });

  test('"Compare handshakes" shows SYN, SYN/ACK, ACK beside SYN, SYN/ACK and no ACK', async ({ page }, testInfo) => {
    await openApp(page, server);
    await page.getByTestId('nav-findings').click();
    await page.getByText('SYN flood', { exact: false }).first().click();
    await page.getByTestId('compare-handshakes').click();
    const good = page.locator('[data-testid="ladder"][data-side="completed"]');
    const bad = page.locator('[data-testid="ladder"][data-side="attack"]');
    await expect(good.locator('[data-packet]').first()).toBeVisible();
    const flags = (l: typeof good) => l.locator('[data-packet]').evaluateAll((els) => els.map((e) => e.getAttribute('data-flags')));
    expect((await flags(good)).slice(0, 3)).toEqual(['SYN', 'SYN, ACK', 'ACK']);
    const attack = await flags(bad);
    expect(attack[0]).toBe('SYN');
    expect(attack).toContain('SYN, ACK');
    expect(attack).not.toContain('ACK');
    await expect(bad).toContainText('half-open: SYN/ACK never ACKed');
    await docShot(page, 'ladder-compare-handshakes');
    await screenshot(page, testInfo, 'ladder-compare');
    // Click an arrow: the packet's detail opens.
    await bad.locator('[data-packet]').first().click();
    await expect(page.getByTestId('packet-detail')).toBeVisible();
  });

  test('"Follow conversation" on a packet filters to its stream and opens its ladder', async ({ page }) => {
    await openApp(page, server);
    await page.getByTestId('nav-packets').click();
    const row = page.getByTestId('packet-row').first();
    await row.click({ button: 'right' });
    await page.getByTestId('follow-conversation').click();
    await expect(page.getByTestId('ladder')).toBeVisible();
    await expect(page.getByTestId('filter-input')).toHaveValue(/^tcp\.stream == \d+$/);
    await expect(page.getByTestId('ladder').locator('[data-packet]').first()).toBeVisible();
  });
});

test.describe('host graph on the DDoS', () => {
  let server: FlowcaseServer;
  test.beforeAll(async () => {
    server = await startFlowcase(DDOS);
    await waitIndexed(server);
  });
  test.afterAll(async () => { await server?.stop(); });

  test('folds thousands of spoofed sources (scattered over the address space) around the target', async ({ page }) => {
    await openGraph(page, server);
    await page.getByTestId('graph-group').check();
    await expect(page.getByTestId('host-graph')).toHaveAttribute('data-settled', 'true', { timeout: 30_000 });
    const nodes = page.getByTestId('graph-node');
    expect(await nodes.count()).toBeLessThanOrEqual(152);
    const fold = page.locator('[data-testid="graph-node"][data-kind="fold"]').first();
    const members = Number(await fold.getAttribute('data-members'));
    expect(members).toBeGreaterThan(4000);
    // The crowd is one "N other hosts" node: /24 groups alone would leave ~6,000 nodes (one /24 per source).
    await expect(fold.locator('button')).toHaveText(`${members.toLocaleString('en-US')} other hosts`);
    await expect(page.locator('[data-testid="graph-node"][data-kind="group"][data-id="192.0.2.0/24"]')).toHaveCount(1);
    // Grouped, the target sits inside 192.0.2.0/24; the folded crowd's edge into it is half-open.
    const foldId = await fold.getAttribute('data-id');
    await expect(page.locator(`[data-testid="graph-edge"][data-src="${foldId}"][data-dst="192.0.2.0/24"]`)).toHaveAttribute('data-outcome', 'half-open');
    await page.getByTestId('graph-group').uncheck();
    await page.getByTestId('graph-top').fill('40');
    await page.getByTestId('graph-top').press('Enter');
    await expect(page.getByTestId('graph-counts')).toContainText('folded');
    await expect(page.getByTestId('host-graph')).toHaveAttribute('data-settled', 'true', { timeout: 30_000 });
    await expect(page.locator('[data-testid="graph-edge"][data-src="others:192.0.2.1:external"][data-dst="192.0.2.1"]')).toHaveAttribute('data-outcome', 'half-open');
    const crowd = page.locator('[data-testid="graph-node"][data-id="others:192.0.2.1:external"]');
    expect(Number(await crowd.getAttribute('data-members'))).toBeGreaterThan(5900);
    await expect(crowd.locator('button')).toHaveText(/^\d{1,3}(,\d{3})* other hosts$/);
    await docShot(page, 'graph-ddos');
  });
});

test.describe('host graph on the DNS outage', () => {
  let server: FlowcaseServer;
  test.beforeAll(async () => {
    server = await startFlowcase(DNS_OUTAGE);
    await waitIndexed(server);
  });
  test.afterAll(async () => { await server?.stop(); });

  test('colours the client → dead resolver edge ICMP-unreachable', async ({ page }) => {
    await openGraph(page, server);
    await expect(page.locator('[data-testid="graph-edge"][data-src="192.51.100.15"][data-dst="203.0.113.2"]')).toHaveAttribute('data-outcome', 'icmp-unreachable');
    await clickNode(page, '192.51.100.15');
    await expect(page.getByTestId('host-panel')).toBeVisible();
    await page.mouse.move(5, 300); // the tooltip would cover the picture
    await docShot(page, 'graph-dns-outage');
  });
});

// Real captures from the shared corpus (skipped without it): a mixed sample capture (IPv4 and IPv6,
// many services) and nmap's version scan.
for (const [file, shot, check] of [
  ['rusticata__wireshark_samples-test.pcapng', 'graph-real-wireshark-samples', 'fe80::'],
  ['zeek__nmap-vsn.pcap', 'graph-real-nmap-vsn', '192.168.1.'],
] as const) {
  test.describe(`host graph on the real capture ${file}`, () => {
    const capture = path.join(SHARED_CAPTURES, file);
    test.skip(!fs.existsSync(capture), `${capture} not found (the shared capture corpus sits beside the repository)`);
    let server: FlowcaseServer;
    test.beforeAll(async () => {
      server = await startFlowcase(capture);
      await waitIndexed(server);
    });
    test.afterAll(async () => { await server?.stop(); });

    test('draws its hosts and conversations', async ({ page }) => {
      await openGraph(page, server);
      const nodes = page.getByTestId('graph-node');
      expect(await nodes.count()).toBeGreaterThan(3);
      await expect(page.locator(`[data-testid="graph-node"][data-id^="${check}"]`).first()).toBeAttached();
      await expect(page.getByTestId('graph-edge').first()).toBeAttached();
      await page.mouse.move(5, 300);
      await docShot(page, shot);
    });
  });
}

test.describe('hostile names', () => {
  let server: FlowcaseServer;
  let dir: string;
  test.beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-hostile-'));
    server = await startFlowcase(hostileNamesCapture(dir));
    await waitIndexed(server);
  });
  test.afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('render as text in the graph, the panel and the ladder', async ({ page }) => {
    const dialogs: string[] = [];
    page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
    await openGraph(page, server);
    await expect(page.locator('[data-testid="graph-node"][data-id="198.51.100.66"]')).toContainText(HOSTILE);
    // Hover: the tooltip shows the name as text.
    const item = page.locator('[data-testid="graph-node"][data-id="198.51.100.66"]');
    const x = Number(await item.getAttribute('data-sx'));
    const y = Number(await item.getAttribute('data-sy'));
    await page.getByTestId('graph-canvas').hover({ position: { x, y } });
    await expect(page.getByTestId('graph-tooltip')).toContainText(HOSTILE);
    await clickNode(page, '198.51.100.66');
    await expect(page.getByTestId('host-panel-names')).toHaveText(HOSTILE);
    // The ladder of the DNS exchange carries the name in its Info.
    await page.getByTestId('host-panel').getByRole('button', { name: 'Ladder' }).first().click();
    await expect(page.getByTestId('ladder')).toBeVisible();
    await page.getByTestId('nav-packets').click();
    await page.getByTestId('packet-row').first().click({ button: 'right' });
    await page.getByTestId('follow-conversation').click();
    await expect(page.getByTestId('ladder')).toContainText('<img src=x onerror=alert(1)>');
    expect(await page.locator('img[onerror]').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });
});
