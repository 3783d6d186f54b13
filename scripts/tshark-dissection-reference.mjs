#!/usr/bin/env node
/**
 * Records tshark's detail view of the fields the packet-detail tree promises to show as tshark does
 * (issue 13 point 5), so test/unit/decode/dissection-tshark.test.ts compares against it without
 * running tshark. For every frame it keeps, in document order, [context, field, showname] for the
 * fields matched by FIELDS below; `context` is 'quoted' for a field inside the packet an ICMP or
 * ICMPv6 error quotes, '' otherwise. tshark runs with its defaults (relative sequence numbers,
 * TCP reassembly on), as an analyst's Wireshark would.
 *
 *   node scripts/tshark-dissection-reference.mjs      (after python3 scripts/make-dissection-fixtures.py)
 *
 * Writes test/fixtures/dissection/<capture>.tshark.json for the generated captures beside it, and
 * test/fixtures/dissection/real/<capture>.tshark.json for the shared real captures listed in REAL
 * (read from ../shared/captures/real, or FLOWCASE_REAL_CAPTURES).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(ROOT, 'test', 'fixtures', 'dissection');
const REAL_DIR = process.env.FLOWCASE_REAL_CAPTURES ?? path.resolve(ROOT, '..', 'shared', 'captures', 'real');
const GENERATED = ['icmp-errors.pcap', 'dns-names.pcap', 'tcp-streams.pcap'];
export const REAL = [
  'zeek__icmp-destunreach-udp.pcap', 'suricata__flow-drop-iponly-02__input.pcap', 'zeek__conn-size.pcap',
  'chrissanders__dns_query_nonexistent.pcapng', 'arkime__dns-wiresharkrepo.pcap', 'zeek__tls1.2.pcap',
  'arkime__tls13.pcap', 'zeek__openjdk-25.0.2-zeek.org.pcap', 'arkime__v6-http.pcap', 'zeek__icmp6-mldv2.pcap',
  'chrissanders__tcp_handshake.pcapng', 'chrissanders__tcp_refuseconnection.pcapng', 'zeek__get.pcap',
];

/** `contains` filters and the captures they are counted on (test/integration/frame-contains.test.ts). */
const CONTAINS = {
  filters: ['frame contains "GET"', 'frame contains "get"', 'tcp contains "GET"', 'udp contains "GET"', 'frame contains 47:45:54',
    'frame contains "example"', 'udp contains "example"', 'tcp contains "example"', 'frame contains 00:01:00:01', 'udp contains 00:01:00:01',
    'frame contains "\\x16\\x03"', 'tcp contains 16:03:01', 'frame contains "HTTP/1.1 200"', 'frame contains ff:ff:ff:ff:ff:ff',
    'tcp contains "GET" && tcp.port == 80', 'frame contains "outage" && icmp', '!(frame contains "example")'],
  captures: ['zeek__get.pcap', 'arkime__dns-wiresharkrepo.pcap', 'zeek__tls1.2.pcap', 'arkime__v6-http.pcap', 'zeek__conn-size.pcap',
    'rusticata__wireshark_samples-test.pcapng', 'icmp-errors.pcap', 'tcp-streams.pcap', 'dns-names.pcap'],
};

/** Fields whose showname the tree reproduces exactly. */
const FIELDS = new RegExp('^(' + [
  'icmp\\.(type|code)', 'icmpv6\\.(type|code)',
  'ip\\.(src|dst)', 'ipv6\\.(src|dst)', 'udp\\.(srcport|dstport)',
  'dns\\.id', 'dns\\.flags\\.(opcode|rcode|response)', 'dns\\.qry\\.(name|type|class)', 'dns\\.resp\\.(type|class)',
  'tcp\\.(seq|seq_raw|ack|ack_raw|window_size_value|window_size|window_size_scalefactor)',
  'tcp\\.flags', 'tcp\\.flags\\.(res|ae|cwr|ece|urg|ack|push|reset|syn|fin|str)', 'tcp\\.segments',
  'tls\\.handshake\\.(type|version|ciphersuites|ciphersuite|extension\\.type|extensions_server_name)',
  'tls\\.handshake\\.extensions\\.supported_version', 'tls\\.handshake\\.certificate_length',
  'x509af\\.(issuer|subject|serialNumber)', 'x509(if|af)\\.rdnSequence',
].join('|') + ')$');

function unescapeXml(s) {
  return s.replace(/&(lt|gt|quot|apos|amp|#x([0-9a-fA-F]+)|#([0-9]+));/g, (_, name, hexCode, dec) => {
    if (hexCode) return String.fromCodePoint(parseInt(hexCode, 16));
    if (dec) return String.fromCodePoint(parseInt(dec, 10));
    return { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' }[name];
  });
}

/** PDML is one element per line, indented two spaces per level: a stack of open protos gives the context. */
function fieldsOf(file) {
  const pdml = execFileSync('tshark', ['-r', file, '-T', 'pdml'], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8');
  const frames = {};
  let frame = 0;
  let stack = [];
  for (const line of pdml.split('\n')) {
    if (line.startsWith('<packet>')) { frame++; frames[frame] = []; stack = []; continue; }
    const m = /^( *)<(proto|field) name="([^"]*)"(?: showname="([^"]*)")?/.exec(line);
    if (!m) continue;
    const depth = m[1].length;
    while (stack.length > 0 && stack[stack.length - 1].depth >= depth) stack.pop();
    stack.push({ depth, kind: m[2], name: m[3] });
    if (/ hide="yes"/.test(line) || m[4] === undefined || !FIELDS.test(m[3])) continue;
    const quoted = stack.some((s, i) => s.kind === 'proto' && (s.name === 'icmp' || s.name === 'icmpv6') && i < stack.length - 1 &&
      stack.slice(i + 1).some((t) => t.kind === 'proto'));
    frames[frame].push([quoted ? 'quoted' : '', m[3], unescapeXml(m[4])]);
  }
  return frames;
}

const CHECK = process.argv.includes('--check');
let stale = 0;

/** Writes the view, or with --check compares it with the recorded one (a different tshark version is reported, not failed). */
function write(capturePath, outPath) {
  const version = /TShark \(Wireshark\) (\S+)/.exec(execFileSync('tshark', ['--version']).toString())?.[1] ?? 'unknown';
  const sha256 = createHash('sha256').update(fs.readFileSync(capturePath)).digest('hex');
  const frames = fieldsOf(capturePath);
  const lines = Object.entries(frames).map(([n, f]) => `  ${JSON.stringify(n)}: ${JSON.stringify(f)}`);
  const text = `{\n "tshark": ${JSON.stringify(version)},\n "capture": ${JSON.stringify(path.basename(capturePath))},\n "sha256": "${sha256}",\n "frames": {\n${lines.join(',\n')}\n }\n}\n`;
  const rel = path.relative(ROOT, outPath);
  if (CHECK) {
    const recorded = fs.existsSync(outPath) ? JSON.parse(fs.readFileSync(outPath, 'utf8')) : null;
    if (recorded === null) { console.log(`${rel}: missing`); stale++; }
    else if (recorded.tshark !== version) console.log(`${rel}: recorded with tshark ${recorded.tshark}, this is ${version}: not compared`);
    else if (fs.readFileSync(outPath, 'utf8') !== text) { console.log(`${rel}: differs from a fresh tshark run`); stale++; }
    return;
  }
  fs.mkdirSync(path.dirname(outPath), { recursive: true });
  fs.writeFileSync(outPath, text);
  console.log(rel, Object.keys(frames).length, 'frames');
}

function countsOf() {
  const counts = {};
  for (const name of CONTAINS.captures) {
    const file = GENERATED.includes(name) ? path.join(DIR, name) : path.join(REAL_DIR, name);
    if (!fs.existsSync(file)) continue;
    counts[name] = {};
    for (const f of CONTAINS.filters) {
      const out = execFileSync('tshark', ['-r', file, '-Y', f, '-T', 'fields', '-e', 'frame.number'], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
      counts[name][f] = out.split('\n').filter((l) => l.trim() !== '').length;
    }
  }
  return counts;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const name of GENERATED) write(path.join(DIR, name), path.join(DIR, name + '.tshark.json'));
  for (const name of REAL) {
    const file = path.join(REAL_DIR, name);
    if (fs.existsSync(file)) write(file, path.join(DIR, 'real', name + '.tshark.json'));
    else console.log(`skipped ${name}: not in ${REAL_DIR}`);
  }
  const countsPath = path.join(DIR, 'contains-counts.json');
  const version = /TShark \(Wireshark\) (\S+)/.exec(execFileSync('tshark', ['--version']).toString())?.[1] ?? 'unknown';
  const countsText = JSON.stringify({ tshark: version, counts: countsOf() }, null, 1) + '\n';
  if (!CHECK) { fs.writeFileSync(countsPath, countsText); console.log(path.relative(ROOT, countsPath)); }
  else if (!fs.existsSync(countsPath) || fs.readFileSync(countsPath, 'utf8') !== countsText) {
    const recorded = fs.existsSync(countsPath) ? JSON.parse(fs.readFileSync(countsPath, 'utf8')).tshark : null;
    if (recorded === version) { console.log('contains-counts.json differs from a fresh tshark run'); stale++; }
  }
  if (stale > 0) { console.log(`${stale} recorded view(s) are stale: run node scripts/tshark-dissection-reference.mjs`); process.exit(1); }
}
