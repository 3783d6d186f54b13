import { test, expect } from '@playwright/test';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, startFlowcase, waitIndexed, type FlowcaseServer } from './flowcase-server';
import { openApp, screenshot, showView } from './app-page';

/** The Report view end to end: edit a section, fill the placeholder, finalise, export PDF, export a bundle and verify it. */
const CAPTURE = path.join(ROOT, 'test', 'fixtures', 'captures', 'syn-flood-443.pcap');
const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v'], { stdio: 'ignore' }).error === undefined;

test.describe('report', () => {
  let server: FlowcaseServer;
  let work: string;
  test.beforeAll(async () => {
    server = await startFlowcase(CAPTURE);
    await waitIndexed(server);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-e2e-report-'));
  });
  test.afterAll(async () => {
    await server?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('edit, fill the placeholder, finalise, export PDF, export and verify a bundle', async ({ page }, testInfo) => {
    await openApp(page, server);
    await showView(page, 'report');
    await expect(page.getByTestId('report-status')).toContainText('Draft version 1');
    await expect(page.getByTestId('placeholder-count')).toHaveText('1');

    // The placeholder is listed; clicking it opens its section, where the preview highlights it.
    await page.getByTestId('placeholder-list').getByRole('button').first().click();
    await expect(page.getByTestId('section-title')).toHaveValue('Incident summary');
    await expect(page.getByTestId('section-preview').getByTestId('placeholder-mark')).toHaveCount(1);
    await expect(page.getByTestId('report-finalise')).toBeDisabled();

    // Edit: fill the placeholder and add text with markup, which the preview shows as text.
    const editor = page.getByTestId('section-editor');
    const source = await editor.inputValue();
    const filled = source.replace(/\[Analyst:[^\]]*\]/, 'The helpdesk took the first call at 09:02 UTC. <script>alert(1)</script>');
    await editor.fill(filled);
    await expect(page.getByTestId('placeholder-count')).toHaveText('0');
    await expect(page.getByTestId('section-preview')).toContainText('The helpdesk took the first call at 09:02 UTC. <script>alert(1)</script>');
    await expect(page.locator('[data-testid="section-preview"] script')).toHaveCount(0);
    await page.getByTestId('report-save').click();
    await expect(page.getByTestId('report-status')).toContainText('Draft version 2');
    await screenshot(page, testInfo, 'report-view');
    fs.copyFileSync(path.join(ROOT, 'test-results', 'screens', 'report-view.png'), path.join(ROOT, 'docs', 'report-view.png'));

    // Finalise: frozen, hashed.
    await page.getByTestId('report-finalise').click();
    await expect(page.getByTestId('report-status')).toContainText(/Finalised version 2 · SHA-256 [0-9a-f]{64}/);
    const hash = /[0-9a-f]{64}/.exec(await page.getByTestId('report-status').innerText())![0];

    // Export PDF: the header carries the case name and the hash.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-export-pdf').click()]);
    const pdf = path.join(work, download.suggestedFilename());
    await download.saveAs(pdf);
    expect(fs.readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    if (HAS_PDFTOTEXT) {
      const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
      expect(text).toContain(`SHA-256 ${hash}`);
      expect(text).toContain('The helpdesk took the first call at 09:02 UTC. <script>alert(1)</script>');
    }

    // Export an evidence bundle, then verify it in the app.
    const bundle = path.join(work, 'evidence.zip');
    await page.getByTestId('bundle-path').fill(bundle);
    await page.getByTestId('bundle-export').click();
    await expect(page.getByTestId('report-message')).toContainText('Evidence bundle written to');
    expect(fs.existsSync(bundle)).toBe(true);
    await page.getByTestId('verify-path').fill(bundle);
    await page.getByTestId('bundle-verify').click();
    await expect(page.getByTestId('verify-result')).toContainText('Intact');

    // A tampered copy is caught and the file named.
    const tampered = path.join(work, 'tampered.zip');
    const bytes = fs.readFileSync(bundle);
    const at = bytes.indexOf(Buffer.from('%PDF-'));
    bytes[at + 200] ^= 1; // report.pdf is stored uncompressed in the zip
    fs.writeFileSync(tampered, bytes);
    await page.getByTestId('verify-path').fill(tampered);
    await page.getByTestId('bundle-verify').click();
    await expect(page.getByTestId('verify-result')).toContainText('Tampered');
    await expect(page.getByTestId('verify-result')).toContainText('data/report/report.pdf');
  });
});
