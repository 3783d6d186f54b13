/**
 * Parity with tshark: every real capture that has a fixture in test/fixtures/tshark/ is indexed
 * end to end (reader → decode worker → case writer → SQLite), and each packet's timestamp (exact
 * nanoseconds), source, destination, IP protocol and ports are compared with tshark's.
 *
 * The fixtures are written by `npm run fixtures:tshark` (scripts/tshark-reference.mjs), with TCP
 * reassembly and IP defragmentation off, because our ingest decodes every frame on its own.
 * The script's header documents the fixture layout; in short each row is
 * [frame, "sec.nsec", src, dst, proto, sport, dport, protocolColumn], taken from the OUTER IP
 * header (the first of several comma-separated values tshark prints for tunnels and ICMP errors).
 *
 * Where our schema deliberately stores something else, `expectedFor` converts tshark's value
 * into what we should have stored, with the reason next to it. Genuine, accepted differences are
 * listed in KNOWN_DIFFERENCES, each by name, capture, frames and field, so nothing else can hide.
 *
 * The captures themselves live in ../shared/captures/real beside the repo (override with
 * FLOWCASE_REAL_CAPTURES); without them the test is skipped, saying why.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { indexCaptures } from '../../electron/ingest/index-captures.js';
import { openCase } from '../../db/open-case.js';

type Field = 'count' | 'ts' | 'src' | 'dst' | 'proto' | 'sport' | 'dport' | 'quotedPorts';

/** [frame, "sec.nsec" | null, src, dst, proto, sport, dport, protocol column] */
type TsharkRow = [number, string | null, string | null, string | null, number | null, number | null, number | null, string];

interface TsharkFixture {
  tshark: string;
  capture: string;
  sha256: string;
  rows: TsharkRow[];
  icmp: Record<string, [number, number]>;
  ipv6Transport: Record<string, number>;
  macs: Record<string, [string, string]>;
  nonPacket: number[];
  filterCounts: Record<string, number>;
}

interface KnownDifference {
  name: string;
  /** Why we differ and why that is acceptable. */
  why: string;
  capture: string;
  /** tshark frame numbers; 'all' for every frame of the capture. */
  frames: number[] | 'all';
  fields: Field[];
}

/**
 * Accepted differences, as narrow as possible, e.g.
 *   { name: 'teredo-inner-ports', why: 'tshark decodes IPv6 inside Teredo (UDP 3544); we stop at UDP',
 *     capture: 'x.pcap', frames: [7, 9], fields: ['proto', 'sport', 'dport'] }
 * An entry that no longer matches any mismatch fails the test (checked after all captures),
 * so the list cannot rot. Empty today: against tshark 4.0.17, every field of every packet of
 * the real captures agrees once the schema conventions in `expectedFor` are applied.
 */
const KNOWN_DIFFERENCES: KnownDifference[] = [];

function repoRoot(): string {
  // Compiled to dist/test/integration/: walk up to the folder that holds package.json.
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${__dirname}`);
    dir = up;
  }
  return dir;
}

const ROOT = repoRoot();
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'tshark');
const CAPTURES = process.env.FLOWCASE_REAL_CAPTURES ?? path.resolve(ROOT, '..', 'shared', 'captures', 'real');

interface Ours {
  frameNo: number;
  tsNs: bigint;
  ipVer: number;
  src: string | null;
  dst: string | null;
  proto: number | null;
  sport: number | null;
  dport: number | null;
  quoted: { sport: number | null; dport: number | null } | null;
}

/** -1 and NULL both mean "absent" (the decoder uses -1, the ingest may store NULL). */
const opt = (v: bigint | number | null): number | null => (v === null || Number(v) < 0 ? null : Number(v));

function readOurs(casePath: string): Ours[] {
  const db = openCase(casePath, { readonly: true });
  try {
    // ts_ns exceeds 2^53: read integers as BigInt, convert the small ones back.
    const rows = db.prepare(`SELECT p.frame_no, p.ts_ns, p.ip_ver, s.addr AS src, d.addr AS dst, p.ip_proto, p.sport, p.dport,
        e.orig_sport AS q_sport, e.orig_dport AS q_dport, e.packet_id AS q_id
      FROM packets AS p
      LEFT JOIN addrs AS s ON s.id = p.src_id
      LEFT JOIN addrs AS d ON d.id = p.dst_id
      LEFT JOIN icmp_errors AS e ON e.packet_id = p.id
      ORDER BY p.capture_id, p.frame_no`).safeIntegers(true).all() as Array<Record<string, bigint | string | null>>;
    return rows.map((r) => ({
      frameNo: Number(r.frame_no),
      tsNs: r.ts_ns as bigint,
      ipVer: Number(r.ip_ver),
      src: r.src as string | null,
      dst: r.dst as string | null,
      proto: opt(r.ip_proto as bigint | null),
      sport: opt(r.sport as bigint | null),
      dport: opt(r.dport as bigint | null),
      quoted: r.q_id === null ? null : { sport: opt(r.q_sport as bigint | null), dport: opt(r.q_dport as bigint | null) },
    }));
  } finally {
    db.close();
  }
}

/** "sec.nsec" (possibly negative) → integer nanoseconds, exactly. */
function nsFromEpochText(text: string): bigint {
  const neg = text.startsWith('-');
  const [sec, frac] = (neg ? text.slice(1) : text).split('.');
  const ns = BigInt(sec) * 1_000_000_000n + BigInt(frac.padEnd(9, '0').slice(0, 9));
  return neg ? -ns : ns;
}

interface Expected {
  /** undefined = not compared, with the reason in `skipped`. */
  ts?: bigint;
  src?: string | null;
  dst?: string | null;
  proto?: number | null;
  sport?: number | null;
  dport?: number | null;
  /** For ICMP errors: the quoted datagram's ports, as tshark decoded them. */
  quotedPorts?: [number | null, number | null];
}

/** What we should have stored for one tshark row, with the schema's deliberate conventions applied. */
function expectedFor(fx: TsharkFixture, row: TsharkRow): Expected {
  const [frame, ts, src, dst, proto, sport, dport] = row;
  const key = String(frame);
  const e: Expected = {};
  // pcapng Simple Packet Blocks have no timestamp (pcapng §4.4); tshark prints none, and
  // whatever a reader substitutes is a choice, not a fact to compare.
  if (ts !== null) e.ts = nsFromEpochText(ts);

  if (src !== null || dst !== null) {
    e.src = src;
    e.dst = dst;
  } else if (fx.macs[key]) {
    // No IP header: like Wireshark's Source/Destination columns, we show the Ethernet addresses.
    e.src = fx.macs[key][0];
    e.dst = fx.macs[key][1];
  }
  // Otherwise (no IP, not Ethernet, e.g. ARP over Linux SLL, or an IP header cut by the snaplen)
  // tshark gives no address to compare with.

  // IPv6 extension headers: tshark's ipv6.nxt names the first extension header; we store the
  // transport found after the chain (what flows and filters need), which the fixture records.
  e.proto = fx.ipv6Transport[key] ?? proto;

  const icmp = fx.icmp[key];
  if (icmp) {
    // ICMP: the schema stores type/code in the port columns (as Zeek does). tshark's tcp/udp
    // ports for an ICMP error are the QUOTED datagram's, which we keep in icmp_errors instead.
    e.sport = icmp[0];
    e.dport = icmp[1];
    if (sport !== null || dport !== null) e.quotedPorts = [sport, dport];
  } else {
    e.sport = sport;
    e.dport = dport;
  }
  return e;
}

function fixtures(): TsharkFixture[] {
  if (!fs.existsSync(FIXTURES)) return [];
  return fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8')) as TsharkFixture);
}

const all = fixtures();
const capturesMissing = !fs.existsSync(CAPTURES)
  ? `real captures not found at ${CAPTURES} (the shared folder is cloned beside the repo; or set FLOWCASE_REAL_CAPTURES)`
  : all.length === 0 ? `no tshark fixtures in ${FIXTURES} (run npm run fixtures:tshark)` : false;

test('tshark parity on the real captures', { skip: capturesMissing }, async (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-parity-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const unusedDifferences = new Set(KNOWN_DIFFERENCES);
  const compared = new Set<string>();

  for (const fx of all) {
    const file = path.join(CAPTURES, fx.capture);
    const skip = fs.existsSync(file) ? false : `${fx.capture} is not in ${CAPTURES}`;
    await t.test(fx.capture, { skip }, async () => {
      const sha = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
      assert.equal(sha, fx.sha256, `${fx.capture} changed since its fixture was written: run npm run fixtures:tshark`);

      const casePath = path.join(tmp, `${fx.capture}.flowcase`);
      const result = await indexCaptures({ casePath, captures: [file] });
      const ours = readOurs(casePath);

      // How often each schema convention stood in for tshark's raw value, for the diagnostics.
      const conventions = { icmpTypeCodeAsPorts: 0, quotedPortsChecked: 0, ipv6ExtensionChain: 0, macsForNonIp: 0, noTimestamp: 0, noAddress: 0 };
      let fieldsChecked = 0;
      const mismatches: Array<{ frame: number; field: Field; tshark: unknown; ours: unknown; column: string }> = [];
      const packetRows = fx.rows.filter((r) => !fx.nonPacket.includes(r[0]));
      if (ours.length !== packetRows.length || result.packets !== packetRows.length) {
        mismatches.push({ frame: 0, field: 'count', tshark: packetRows.length, ours: `${ours.length} rows, ${result.packets} reported`, column: '' });
      }
      // tshark numbers non-packet pcapng blocks as frames; our frame_no counts packet records only.
      for (let i = 0; i < Math.min(ours.length, packetRows.length); i++) {
        const row = packetRows[i];
        const o = ours[i];
        const frame = row[0];
        assert.equal(o.frameNo, i + 1, `${fx.capture}: frame_no ${o.frameNo} at position ${i + 1}`);
        const e = expectedFor(fx, row);
        const key = String(frame);
        if (fx.icmp[key]) conventions.icmpTypeCodeAsPorts++;
        if (e.quotedPorts) conventions.quotedPortsChecked++;
        if (fx.ipv6Transport[key] !== undefined) conventions.ipv6ExtensionChain++;
        if (fx.macs[key]) conventions.macsForNonIp++;
        if (e.ts === undefined) conventions.noTimestamp++;
        if (e.src === undefined) conventions.noAddress++;
        const check = (field: Field, want: unknown, got: unknown) => {
          if (want === undefined) return;
          fieldsChecked++;
          if (typeof want === 'bigint' ? want !== got : JSON.stringify(want) !== JSON.stringify(got)) {
            mismatches.push({ frame, field, tshark: want, ours: got, column: row[7] });
          }
        };
        check('ts', e.ts, o.tsNs);
        check('src', e.src, o.src ?? null);
        check('dst', e.dst, o.dst ?? null);
        check('proto', e.proto, o.proto);
        check('sport', e.sport, o.sport);
        check('dport', e.dport, o.dport);
        if (e.quotedPorts) check('quotedPorts', e.quotedPorts, o.quoted ? [o.quoted.sport, o.quoted.dport] : null);
      }

      t.diagnostic(`${fx.capture}: ${packetRows.length} packets, ${fieldsChecked} fields compared; conventions ${JSON.stringify(conventions)}`);
      // proto, sport and dport are always compared (absent on both sides counts as equal).
      if (packetRows.length) assert.ok(fieldsChecked >= packetRows.length * 3, `${fx.capture}: only ${fieldsChecked} fields compared`);
      compared.add(fx.capture);

      const unexplained = mismatches.filter((m) => {
        const known = KNOWN_DIFFERENCES.find((k) => k.capture === fx.capture && k.fields.includes(m.field)
          && (k.frames === 'all' || k.frames.includes(m.frame)));
        if (known) unusedDifferences.delete(known);
        return !known;
      });
      const show = (v: unknown) => (typeof v === 'bigint' ? `${v}n` : JSON.stringify(v));
      assert.deepEqual(unexplained.slice(0, 25).map((m) => `frame ${m.frame} [${m.column}] ${m.field}: tshark ${show(m.tshark)}, ours ${show(m.ours)}`), [],
        `${fx.capture}: ${unexplained.length} packet field(s) differ from tshark ${fx.tshark} (first 25 shown)`);
    });
  }

  // Every known difference must still occur: a fixed difference should leave the list.
  const stale = [...unusedDifferences].filter((k) => compared.has(k.capture));
  assert.deepEqual(stale.map((k) => `${k.name} (${k.capture})`), [], 'known differences that no longer occur: remove them from KNOWN_DIFFERENCES');
});
