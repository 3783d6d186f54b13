#!/usr/bin/env node
// Writes tshark's view of every real capture to test/fixtures/tshark/<capture>.json, so the
// parity test (test/integration/tshark-parity.test.ts) can compare our ingest against it
// without needing tshark at test time.
//
//   node scripts/tshark-reference.mjs [--captures DIR] [--out DIR]
//
// Defaults: captures from ../shared/captures/real (beside the repo), fixtures into
// test/fixtures/tshark. Re-run after a capture is added or tshark is upgraded.
//
// Fixture layout (all values are tshark's, not ours):
//   tshark        tshark version string, e.g. "4.0.17"
//   capture       file name; sha256 of the file bytes, so a stale fixture is detectable
//   options       the -o preferences used (reassembly off: see TSHARK_PREFS)
//   columns       names of the row columns
//   rows          [frame, "sec.nsec", src, dst, proto, sport, dport, protocolColumn]
//                 src/dst/proto come from the OUTERMOST IP header (IPv4 or IPv6, whichever
//                 frame.protocols lists first). When tshark prints several comma-separated
//                 values (tunnels, ICMP errors quoting the offending datagram) the FIRST
//                 value is kept: that is the outer one. Ports are the first tcp.* or udp.*
//                 value; for ICMP errors these are the QUOTED packet's ports (tshark has no
//                 outer ports there), see `icmp` below. null = field absent.
//                 The timestamp is frame.time_epoch as an exact decimal string (tshark prints
//                 nanoseconds, 9 digits), never a float; null when the record has none
//                 (pcapng Simple Packet Block).
//   icmp          { frame: [type, code] } for frames whose outer transport is ICMP/ICMPv6:
//                 we store type/code in the port columns (as Zeek does).
//   ipv6Transport { frame: proto } for IPv6 frames whose next header is an extension header:
//                 the protocol found after walking hop-by-hop/routing/fragment/dest-options.
//   macs          { frame: [eth.src, eth.dst] } for Ethernet frames without any IP header.
//   nonPacket     frames that are not packet records (pcapng custom blocks: tshark shows them
//                 as "PCAPNG" frames); our frame_no skips them.
//   filterCounts  { displayFilter: packets matched } for a few filters the UI tests reuse.
//   tsharkErrors  tshark's stderr (minus the run-as-root warning) when it reported a problem.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function argValue(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? path.resolve(process.argv[i + 1]) : fallback;
}

const capturesDir = argValue('--captures', path.resolve(repoRoot, '..', 'shared', 'captures', 'real'));
const outDir = argValue('--out', path.join(repoRoot, 'test', 'fixtures', 'tshark'));

// Our ingest decodes each frame on its own: no TCP reassembly, no IP defragmentation.
// Turning those off makes tshark attribute ports and protocols to the same frames we do
// (with defragmentation on, a fragmented UDP datagram's ports show up on the LAST fragment).
const TSHARK_PREFS = {
  'tcp.desegment_tcp_streams': 'FALSE',
  'ip.defragment': 'FALSE',
  'ipv6.defragment': 'FALSE',
};

const FIELDS = [
  'frame.number', 'frame.time_epoch', 'frame.protocols', 'frame.encap_type',
  'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'ip.proto', 'ipv6.nxt',
  'tcp.srcport', 'tcp.dstport', 'udp.srcport', 'udp.dstport',
  'icmp.type', 'icmp.code', 'icmpv6.type', 'icmpv6.code',
  'ipv6.hopopts.nxt', 'ipv6.routing.nxt', 'ipv6.fraghdr.nxt', 'ipv6.dstopts.nxt',
  'eth.src', 'eth.dst',
  '_ws.col.Protocol',
];

/** Display filters whose match counts the UI tests compare against our filter language. */
const FILTERS = [
  'tcp.flags.syn == 1 && tcp.flags.ack == 0',
  'dns',
  'icmp',
  'tcp.port == 443',
  'tcp.flags.reset == 1',
  'dns.flags.rcode == 3',
];

// IPv6 extension headers we can walk through with tshark's *.nxt fields (RFC 8200 §4).
const IPV6_EXT_FIELD = { 0: 'ipv6.hopopts.nxt', 43: 'ipv6.routing.nxt', 44: 'ipv6.fraghdr.nxt', 60: 'ipv6.dstopts.nxt' };

const prefArgs = Object.entries(TSHARK_PREFS).flatMap(([k, v]) => ['-o', `${k}:${v}`]);

function tshark(args) {
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) throw new Error(`cannot run tshark: ${r.error.message} (is Wireshark's tshark on PATH?)`);
  // tshark warns on every run as root; that is noise, not a capture problem.
  const stderr = r.stderr.split('\n').filter((l) => l.trim() && !/Running as user "root"/.test(l)).join('\n');
  // A bad -o or -Y is our mistake, not the capture's: stop rather than write empty fixtures.
  if (/unknown preference|Invalid -o flag|isn't a valid display filter/i.test(stderr)) throw new Error(`tshark ${args.join(' ')}: ${stderr}`);
  return { stdout: r.stdout, stderr, status: r.status };
}

function tsharkVersion() {
  const first = tshark(['--version']).stdout.split('\n')[0];
  const m = /\(Wireshark\)\s+(\S+)/.exec(first) ?? /(\d+\.\d+\.\d+)/.exec(first);
  return m ? m[1] : first.trim();
}

const firstValue = (s) => (s === '' || s === undefined ? null : s.split(',')[0]);
const firstInt = (s) => {
  const v = firstValue(s);
  return v === null ? null : Number.parseInt(v, 10);
};
const allInts = (s) => (s ? s.split(',').map((v) => Number.parseInt(v, 10)) : []);

function rowsFor(file) {
  const args = ['-n', '-r', file, ...prefArgs, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const f of FIELDS) args.push('-e', f);
  const { stdout, stderr, status } = tshark(args);
  const rows = [];
  const icmp = {};
  const ipv6Transport = {};
  const macs = {};
  const nonPacket = [];
  for (const line of stdout.split('\n')) {
    if (!line) continue;
    const v = Object.fromEntries(line.split('\t').map((x, i) => [FIELDS[i], x]));
    const frame = Number(v['frame.number']);
    // tshark numbers pcapng custom (and other non-packet) blocks as frames too, with no
    // encapsulation; a capture reader yields only packet records, so they are listed apart.
    if (v['frame.encap_type'] === '') nonPacket.push(frame);
    // pcapng Simple Packet Blocks carry no timestamp (§4.4): tshark prints none, we write null.
    const ts = v['frame.time_epoch'] === '' ? null : v['frame.time_epoch'];
    if (ts !== null && !/^-?\d+\.\d{9}$/.test(ts)) throw new Error(`${path.basename(file)} frame ${frame}: unexpected time_epoch "${ts}"`);
    const layers = v['frame.protocols'].split(':');
    const outer = layers.find((p) => p === 'ip' || p === 'ipv6') ?? null;
    let src = null, dst = null, proto = null;
    if (outer === 'ip') {
      src = firstValue(v['ip.src']); dst = firstValue(v['ip.dst']); proto = firstInt(v['ip.proto']);
    } else if (outer === 'ipv6') {
      src = firstValue(v['ipv6.src']); dst = firstValue(v['ipv6.dst']); proto = firstInt(v['ipv6.nxt']);
      if (proto !== null && proto in IPV6_EXT_FIELD) {
        // Walk the outer header's extension chain: each ext header's first unused *.nxt value.
        const used = {};
        let next = proto;
        while (next in IPV6_EXT_FIELD) {
          const field = IPV6_EXT_FIELD[next];
          const vals = allInts(v[field]);
          const idx = used[field] ?? 0;
          if (idx >= vals.length) { next = null; break; }
          used[field] = idx + 1;
          next = vals[idx];
        }
        if (next !== null) ipv6Transport[frame] = next;
      }
    } else if (v['eth.src']) {
      macs[frame] = [firstValue(v['eth.src']), firstValue(v['eth.dst'])];
    }
    // TCP or UDP, whichever tshark decoded first: the outer transport, or the quoted one for ICMP errors.
    const tcpAt = layers.indexOf('tcp');
    const udpAt = layers.indexOf('udp');
    const useTcp = tcpAt >= 0 && (udpAt < 0 || tcpAt < udpAt);
    const sport = useTcp ? firstInt(v['tcp.srcport']) : udpAt >= 0 ? firstInt(v['udp.srcport']) : null;
    const dport = useTcp ? firstInt(v['tcp.dstport']) : udpAt >= 0 ? firstInt(v['udp.dstport']) : null;
    const transport = ipv6Transport[frame] ?? proto;
    if (transport === 1 && v['icmp.type']) icmp[frame] = [firstInt(v['icmp.type']), firstInt(v['icmp.code'])];
    if (transport === 58 && v['icmpv6.type']) icmp[frame] = [firstInt(v['icmpv6.type']), firstInt(v['icmpv6.code'])];
    rows.push([frame, ts, src, dst, proto, sport, dport, v['_ws.col.Protocol']]);
  }
  return { rows, icmp, ipv6Transport, macs, nonPacket, stderr, status };
}

function filterCount(file, filter) {
  // -T fields -e frame.number prints exactly one line per matching frame.
  const { stdout } = tshark(['-n', '-r', file, ...prefArgs, '-Y', filter, '-T', 'fields', '-e', 'frame.number']);
  return stdout.split('\n').filter(Boolean).length;
}

function main() {
  if (!fs.existsSync(capturesDir)) {
    console.error(`captures folder not found: ${capturesDir} (clone the shared folder beside the repo, or pass --captures DIR)`);
    process.exit(1);
  }
  const version = tsharkVersion();
  fs.mkdirSync(outDir, { recursive: true });
  const files = fs.readdirSync(capturesDir).filter((f) => fs.statSync(path.join(capturesDir, f)).isFile()).sort();
  for (const name of files) {
    const file = path.join(capturesDir, name);
    const sha256 = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const { rows, icmp, ipv6Transport, macs, nonPacket, stderr, status } = rowsFor(file);
    const filterCounts = Object.fromEntries(FILTERS.map((f) => [f, filterCount(file, f)]));
    const fixture = {
      tshark: version,
      capture: name,
      sha256,
      options: TSHARK_PREFS,
      columns: ['frame', 'time_epoch', 'src', 'dst', 'proto', 'sport', 'dport', 'protocol'],
      rows,
      icmp,
      ipv6Transport,
      macs,
      nonPacket,
      filterCounts,
      ...(status !== 0 || stderr ? { tsharkErrors: { status, stderr } } : {}),
    };
    // One key per line and one row per line: compact, yet a diff after a tshark upgrade or a
    // capture change shows exactly which frames moved.
    const body = '{\n' + Object.entries(fixture).map(([k, v]) => {
      const text = k === 'rows' && rows.length ? `[\n  ${rows.map((r) => JSON.stringify(r)).join(',\n  ')}\n ]` : JSON.stringify(v);
      return ` ${JSON.stringify(k)}: ${text}`;
    }).join(',\n') + '\n}';
    fs.writeFileSync(path.join(outDir, `${name}.json`), body + '\n');
    console.log(`${name}: ${rows.length} rows${status !== 0 ? ` (tshark exit ${status})` : ''}`);
  }
}

main();
