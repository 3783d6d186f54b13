/**
 * The detail pane shows what an analyst expects of Wireshark (issue 13 point 5), drawn from the tree
 * packetDetail() builds (its content is compared with tshark in test/integration/dissection-tshark):
 * a TLS certificate record reassembled from three segments with the certificates' names, the
 * ClientHello's cipher suites, TCP flags one per line with relative numbers, and the DNS query
 * quoted inside an ICMP port unreachable. Certificate text with markup stays text.
 * Screenshots for docs/ are taken with FLOWCASE_DOC_SCREENSHOTS=1 (docs/detail-*.png).
 */
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { applyFilter, openApp, screenshot, showView } from './app-page';
import { ROOT, startFlowcase, waitIndexed, type FlowcaseServer } from './flowcase-server';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'dissection');
const DOCS = process.env.FLOWCASE_DOC_SCREENSHOTS === '1' ? path.join(ROOT, 'docs') : null;

test.use({ viewport: { width: 1400, height: 1200 } });

function node(page: Page, label: string | RegExp) {
  return page.getByTestId('detail-tree').locator('[role="treeitem"]', { has: page.getByTestId('detail-node').filter({ hasText: label }) });
}

/** Opens the tree item whose label contains `label` (the first one), unless it is open. */
async function expand(page: Page, label: string | RegExp): Promise<void> {
  const item = node(page, label).first();
  await expect(item).toBeVisible();
  if ((await item.getAttribute('aria-expanded')) === 'false') await item.getByRole('button', { name: 'Expand' }).click();
  await expect(item).toHaveAttribute('aria-expanded', 'true');
}

async function openPacket(page: Page, server: FlowcaseServer, id: number): Promise<void> {
  await openApp(page, server);
  await showView(page, 'packets');
  await applyFilter(page, `frame.number == ${id}`);
  await page.locator(`[data-testid="packet-row"][data-id="${id}"]`).click();
  await expect(page.getByTestId('packet-detail')).toHaveAttribute('data-id', String(id));
  // A taller detail pane, so the screenshots show the layers.
  const splitter = page.getByRole('separator', { name: 'Resize the packet detail' });
  await splitter.focus();
  for (let i = 0; i < 22; i++) await splitter.press('ArrowUp');
}

test.describe('TLS handshake', () => {
  let server: FlowcaseServer;
  test.beforeAll(async () => {
    server = await startFlowcase(path.join(FIXTURES, 'tcp-streams.pcap'));
    await waitIndexed(server);
  });
  test.afterAll(async () => { await server?.stop(); });

  test('the ClientHello lists its cipher suites and extensions by name', async ({ page }) => {
    await openPacket(page, server, 4);
    await expand(page, 'TLSv1 Record Layer: Client Hello');
    await expand(page, 'Handshake Protocol: Client Hello');
    await expand(page, 'Cipher Suites (17 suites)');
    await expect(node(page, 'Cipher Suite: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xc02f)')).toBeVisible();
    await expand(page, 'Extension: server_name (len=21)');
    await expect(node(page, 'Server Name: shop.example.com')).toBeVisible();
    // TCP: relative and raw numbers, one line per flag.
    await expand(page, /^Transmission Control Protocol/);
    await expect(node(page, 'Sequence Number: 1    (relative sequence number)')).toBeVisible();
    await expect(node(page, 'Sequence Number (raw): 3000000001')).toBeVisible();
    await expand(page, 'Flags: 0x018 (PSH, ACK)');
    await expect(node(page, '.... .... 1... = Push: Set')).toBeVisible();
    await expect(node(page, 'Window size scaling factor: 128')).toBeVisible();
  });

  test('a certificate record over three segments is reassembled and its names shown as text', async ({ page }, testInfo) => {
    await openPacket(page, server, 7);
    await expect(node(page, '3 Reassembled TCP Segments (895 bytes): #5(295), #6(400), #7(200)')).toBeVisible();
    await expand(page, 'TLSv1.2 Record Layer: Certificate, Server Hello Done');
    await expand(page, 'Handshake Protocol: Certificate');
    await expand(page, 'Certificates (879 bytes)');
    await expand(page, 'Certificate (398 bytes)');
    await expand(page, 'signedCertificate');
    await expand(page, 'issuer: rdnSequence (0)');
    await expand(page, 'subject: rdnSequence (0)');
    await expect(node(page, 'rdnSequence: 3 items (id-at-commonName=Example Root CA R1,id-at-organizationName=Example Trust Services,id-at-countryName=US)')).toBeVisible();
    await expect(node(page, 'id-at-organizationName=Example Corp <b>x<').first()).toBeVisible();
    // The certificate's "<b>" is text, never an element.
    await expect(page.getByTestId('detail-tree').locator('b')).toHaveCount(0);
    await screenshot(page, testInfo, 'detail-tls-certificate');
    if (DOCS) await page.screenshot({ path: path.join(DOCS, 'detail-tls-handshake.png') });
  });
});

test.describe('ICMP error quoting a DNS query', () => {
  let server: FlowcaseServer;
  test.beforeAll(async () => {
    server = await startFlowcase(path.join(FIXTURES, 'icmp-errors.pcap'));
    await waitIndexed(server);
  });
  test.afterAll(async () => { await server?.stop(); });

  test('the port unreachable shows the quoted IP and UDP headers and the DNS query they carried', async ({ page }, testInfo) => {
    await openPacket(page, server, 54);
    await expand(page, 'Internet Control Message Protocol');
    await expect(node(page, 'Code: 3 (Port unreachable)')).toBeVisible();
    await expect(node(page, 'User Datagram Protocol, Src Port: 40099, Dst Port: 53')).toBeVisible();
    await expand(page, 'Internet Protocol Version 4, Src: 10.0.0.10, Dst: 203.0.113.2');
    await expand(page, 'Domain Name System (query)');
    await expand(page, /^Queries$/);
    await expand(page, 'q99.outage.example: type TXT, class IN');
    await expect(node(page, 'Type: TXT (Text strings) (16)')).toBeVisible();
    await screenshot(page, testInfo, 'detail-icmp-quoted-dns');
    if (DOCS) await page.screenshot({ path: path.join(DOCS, 'detail-icmp-quoted-dns.png') });
    await expand(page, 'Flags: 0x0100 Standard query');
    await expect(node(page, '.000 0... .... .... = Opcode: Standard query (0)')).toBeVisible();
  });
});
