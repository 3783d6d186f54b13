/**
 * The draft incident reports: required sections, numbers equal to SQL counts, hashes of the
 * captures, and HTML in which no packet text can become markup.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { renderReportMarkdown } from '../../electron/export/report-markdown';
import { REPORT_CSP, REPORT_STYLE } from '../../electron/export/report-html';
import { renderReportText, reportText } from '../../electron/export/report-export';
import { n } from '../../electron/analysis/case-time';
import { buildDnsPortUnreachable, buildSynFlood, buildXssMarkup, DNS_DEAD_SERVER, SYN_FLOOD_ATTACKER, SYN_FLOOD_SERVER, XSS_IMG, XSS_SCRIPT } from '../support/make-fixtures';
import { analyseFrames, AnalysedCase } from '../unit/analysis/analysis-case';

const NOW = new Date('2024-03-13T10:00:00Z');
const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** The HTML `flowcase report -o x.html` writes for a case with no stored report yet (the draft), without figures. */
async function draftHtml(c: AnalysedCase): Promise<string> {
  return (await renderReportText(reportText(c.db), 'html', [])).toString('utf8');
}

function sectionsOf(md: string): string[] {
  return md.split('\n').filter((l) => /^##+ /.test(l)).map((l) => l.replace(/^#+ /, '').replace(/\\/g, ''));
}

describe('report: SYN flood (the classic incident)', () => {
  let c: AnalysedCase;
  let md: string;
  let html: string;
  before(async () => {
    c = await analyseFrames('syn-flood-443.pcap', buildSynFlood());
    md = renderReportMarkdown(c.db, { now: NOW });
    html = await draftHtml(c);
  });
  after(() => c.close());

  test('has the required sections in order', () => {
    const s = sectionsOf(md);
    const want = ['Incident summary', '1. Type of attack and evidence', '2. How the attack caused the malfunction', 'What the logs show',
      'Timeline of events', 'Impact', 'Recommendations', 'Captures'];
    let at = -1;
    for (const w of want) {
      const i = s.indexOf(w);
      assert.ok(i > at, `section "${w}" missing or out of order in ${JSON.stringify(s)}`);
      at = i;
    }
    assert.match(md, /^# Incident report \(DRAFT\)/);
    assert.ok(md.includes('| No. | Time | Source | Destination | Protocol | Info |'));
  });

  test('numbers come from the case', () => {
    const one = (q: string, ...a: unknown[]) => c.db.prepare(q).pluck().get(...a) as number;
    const syns = one(`SELECT count(*) FROM packets p JOIN addrs s ON s.id = p.src_id JOIN addrs d ON d.id = p.dst_id
      WHERE s.addr = ? AND d.addr = ? AND p.dport = 443 AND (p.tcp_flags & 18) = 2`, SYN_FLOOD_ATTACKER, SYN_FLOOD_SERVER);
    const synAcks = one(`SELECT count(*) FROM packets p JOIN addrs s ON s.id = p.src_id JOIN addrs d ON d.id = p.dst_id
      WHERE s.addr = ? AND d.addr = ? AND (p.tcp_flags & 18) = 18 AND (p.flags & 16) = 0`, SYN_FLOOD_SERVER, SYN_FLOOD_ATTACKER);
    const http504 = one('SELECT count(*) FROM http_messages WHERE status = 504');
    const total = one('SELECT count(*) FROM packets');
    const evidence = one('SELECT evidence_total FROM findings WHERE kind = ?', 'syn-flood');
    assert.ok(md.includes(`${n(syns)} SYNs`), `attack SYNs ${syns}`);
    assert.ok(md.includes(`answered ${n(synAcks)} with a SYN/ACK`));
    assert.ok(md.includes(`${n(http504)} HTTP 5xx`));
    assert.ok(md.includes(`${n(total)} packets`));
    assert.ok(md.includes(`| ${n(evidence)} |`));
    assert.ok(md.includes(sha256(c.capturePath)), 'capture hash');
    for (const w of ['SYN cookies', 'Rate-limit', 'scrubbing', 'IPS', 'stopgap']) assert.ok(md.includes(w), w);
  });

  test('the excerpt rows are real packets', () => {
    // The No. column cites the packet: [1234](#packet=1234), a link back to it in the app.
    const rows = md.split('\n').filter((l) => /^\| \[\d+\]\(#packet=\d+\) \| \d+\.\d{6} \|/.test(l));
    assert.ok(rows.length >= 10);
    for (const r of rows) {
      const id = Number(/^\| \[(\d+)\]/.exec(r)![1]);
      const found = c.db.prepare('SELECT id FROM packets WHERE id = ?').pluck().get(id) as number | undefined;
      assert.ok(found !== undefined, `packet ${id}`);
    }
  });

  test('HTML carries the same content, a strict CSP and no scripts', () => {
    for (const s of ['Incident summary', '1. Type of attack and evidence', 'What the logs show', 'Timeline of events', 'Recommendations', 'Captures']) {
      assert.ok(html.includes(`>${s}</h2>`), s);
    }
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP.replace(/'/g, '&#39;')}">`));
    assert.match(REPORT_CSP, /default-src 'none'/);
    assert.match(REPORT_CSP, /script-src 'none'/);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /https?:\/\//);
    assert.ok(html.includes(sha256(c.capturePath)));
  });
});

describe('report: DNS answered by ICMP port unreachable', () => {
  let c: AnalysedCase;
  let md: string;
  before(async () => {
    c = await analyseFrames('dns-port-unreachable.pcap', buildDnsPortUnreachable());
    md = renderReportMarkdown(c.db, { now: NOW });
  });
  after(() => c.close());

  test('has the unreachable-service structure', () => {
    const s = sectionsOf(md);
    for (const w of ['Summary of the problem found in DNS and ICMP traffic', 'When it occurred', 'How it was noticed',
      'Actions taken and key findings', 'Likely cause', 'What the logs show', 'Recommendations', 'Captures']) assert.ok(s.includes(w), w);
  });

  test('numbers come from the case', () => {
    const icmp = c.db.prepare('SELECT count(*) FROM icmp_errors WHERE orig_dst = ? AND orig_dport = 53').pluck().get(DNS_DEAD_SERVER) as number;
    const unanswered = c.db.prepare("SELECT count(*) FROM dns_transactions t JOIN addrs a ON a.id = t.server_id WHERE a.addr = ? AND status = 'unanswered'").pluck().get(DNS_DEAD_SERVER) as number;
    assert.ok(md.includes(`${n(icmp)} packets from 192.51.100.15 to ${DNS_DEAD_SERVER}:53`));
    assert.ok(md.includes(`${n(unanswered)} unanswered`));
    assert.ok(md.includes('www.example.com'));
    assert.ok(md.includes(sha256(c.capturePath)));
  });
});

describe('report: hostile packet text', () => {
  let c: AnalysedCase;
  before(async () => { c = await analyseFrames('xss-markup.pcap', buildXssMarkup()); });
  after(() => c.close());

  test('the markup reaches the case and the report, escaped', async () => {
    assert.ok((c.db.prepare('SELECT count(*) FROM dns_messages WHERE qname LIKE ?').pluck().get('%<img src=x%') as number) > 0);
    const html = await draftHtml(c);
    assert.doesNotMatch(html, /<img/i);
    assert.doesNotMatch(html, /<script/i);
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    const md = renderReportMarkdown(c.db, { now: NOW });
    assert.ok(!md.includes(XSS_IMG) && !md.includes(XSS_SCRIPT));
    assert.ok(md.includes('\\<img src=x onerror=alert(1)\\>'));
    assert.doesNotMatch(md, /(^|[^\\])\[x\]\(javascript/);
  });
});

describe('report slips, decided from the capture', () => {
  test('a server that keeps answering to the end is not said to have stopped', async () => {
    const c = await analyseFrames('syn-flood-answering.pcap', buildSynFlood({ rate: 30, attackSec: 30, answerSec: 1000, tailSec: 10 }));
    try {
      const md = renderReportMarkdown(c.db, { now: NOW });
      assert.doesNotMatch(md, /stopped answering/);
      assert.match(md, /kept answering to the end of the attack \(about [\d.]+ SYN\/ACKs per second/);
    } finally { c.close(); }
  });

  test('a server that stops answering is said to, with the time it stopped', async () => {
    const c = await analyseFrames('syn-flood-stopping.pcap', buildSynFlood({ rate: 30, attackSec: 40, answerSec: 10, tailSec: 10 }));
    try {
      const md = renderReportMarkdown(c.db, { now: NOW });
      assert.match(md, /then stopped answering after .*t\+\d+\.\d{3} s\): the [\d,]+ attack SYNs that followed got no reply/);
    } finally { c.close(); }
  });

  test('DNS: the first ICMP error time is the first ICMP error packet\'s time', async () => {
    const c = await analyseFrames('dns-port-unreachable.pcap', buildDnsPortUnreachable());
    try {
      const firstIcmp = c.db.prepare('SELECT CAST(min(p.ts_ns) AS TEXT) FROM icmp_errors e JOIN packets p ON p.id = e.packet_id').pluck().get() as string;
      const details = JSON.parse(c.db.prepare("SELECT details FROM findings WHERE kind = 'unreachable-service'").pluck().get() as string);
      assert.equal(details.firstErrorTsNs, firstIcmp);
    } finally { c.close(); }
  });
});

describe('report HTML tables', () => {
  test('words are never broken mid-word ("Severit y", "Destinatio n")', () => {
    assert.doesNotMatch(REPORT_STYLE, /overflow-wrap:\s*anywhere|word-break:\s*break-all/);
    assert.match(REPORT_STYLE, /th \{[^}]*white-space: nowrap/);
    assert.match(REPORT_STYLE, /td \{[^}]*overflow-wrap: break-word/);
  });
});
