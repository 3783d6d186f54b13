import type { CaseDb } from '../../db/open-case';
import type { CaptureFinished, InterfaceSeen, JobFinished, PacketBatch } from './decode-worker-messages';
import { COL, NUM_STRIDE, TEXT_SEP } from './decode-worker-messages';
import { HostNameStage } from './host-name-stage';
import { unpackFlows } from './flow-pack';

/** Packets per multi-row INSERT: fewer statement executions, well under SQLite's 32766 parameters. */
const ROWS_PER_INSERT = 32;
const PACKET_COLS = 16;
/** The stored packet columns (migration 0010): frame_no, if_index, ip_ver, ports and flags are generated from these. */
const PACKET_SQL_COLS = '(id, capture_id, frame_gap, ts_ns, caplen, origlen, data_offset, src_id, dst_id, sport16, dport16, ip_proto, tcp_flags, proto_id, flow_id, flag_bits)';

const nul = (v: number) => (v < 0 ? null : v);
const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
/** A port (or ICMP type/code) as its signed 16-bit value: 2 bytes in SQLite instead of 3 for ports ≥ 32768. */
export const port16 = (v: number) => (v < 0 ? null : v >= 32768 ? v - 65536 : v);
/**
 * packets.flag_bits (migration 0010): PKT_* flags | ip code << 8 (0 IPv4, 1 IPv6, 2 neither) | if_index << 10, so 0 for
 * the common packet. Arithmetic rather than bit operators: if_index may need more than JavaScript's 32-bit operators hold.
 */
const IP_CODE: Record<number, number> = { 4: 0, 6: 1 };
export const flagBits = (flags: number, ipVer: number, ifIndex: number) => flags + (IP_CODE[ipVer] ?? 2) * 256 + ifIndex * 1024;

/**
 * Writes the worker's batches into the case, one transaction per batch, from one connection.
 * Prepared statements are created once; nothing here parses packets.
 */
export class CaseWriter {
  private readonly insManyPackets;
  private readonly insOnePacket;
  private readonly insAddr;
  private readonly insProtocol;
  private readonly insInfo;
  private readonly insFlow;
  private readonly insDns;
  private readonly insDnsTx;
  private readonly insHttp;
  private readonly insHttpValue;
  /** http_values: each distinct header value once (migration 0010), its id by value. */
  private readonly httpValueIds = new Map<string, number>();
  private readonly insTls;
  private readonly insIcmp;
  private readonly insArp;
  private readonly insComment;
  private readonly upTimeline;
  private readonly hostNames: HostNameStage;
  private readonly manyArgs: unknown[] = new Array(ROWS_PER_INSERT * PACKET_COLS);
  private readonly oneArgs: unknown[] = new Array(PACKET_COLS);
  readonly writeBatch: (b: PacketBatch) => void;
  /** Whether every packet written so far came no earlier than the one before it (see db/bulk-indexes.ts). */
  tsFollowsIds = true;
  private lastTs: bigint | null;

  constructor(private readonly db: CaseDb) {
    const row = '(' + new Array(PACKET_COLS).fill('?').join(',') + ')';
    this.insManyPackets = db.prepare(`INSERT INTO packets ${PACKET_SQL_COLS} VALUES ${new Array(ROWS_PER_INSERT).fill(row).join(',')}`);
    this.insOnePacket = db.prepare(`INSERT INTO packets ${PACKET_SQL_COLS} VALUES ${row}`);
    this.insAddr = db.prepare('INSERT OR IGNORE INTO addrs (id, addr, bin) VALUES (?, ?, ?)');
    this.insProtocol = db.prepare('INSERT OR IGNORE INTO protocols (id, name) VALUES (?, ?)');
    this.insInfo = db.prepare('INSERT INTO packet_info (packet_id, info) VALUES (?, ?)');
    // Appending to a case: the new packets follow the last one written before.
    this.lastTs = db.prepare('SELECT ts_ns FROM packets ORDER BY id DESC LIMIT 1').safeIntegers().pluck().get() as bigint | undefined ?? null;
    // The Community ID is computed from the row when read (query/community-id.ts). The other times of a
    // flow are stored after its first (migration 0010; flows.*_ts_ns are generated from them).
    this.insFlow = db.prepare(`INSERT INTO flows (id, ip_proto, orig_id, orig_port16, resp_id, resp_port, first_ts_ns, last_dt,
      orig_pkts, orig_bytes, resp_pkts, resp_bytes, conn_state, history, syn_dt, synack_dt, ack_dt, syn_count,
      synack_count, rst_orig, rst_resp, service) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
    this.insDns = db.prepare('INSERT INTO dns_messages (packet_id, txid, is_response, opcode, rcode, qname, qtype, answers) VALUES (?,?,?,?,?,?,?,?)');
    // dns_transactions is a view (migration 0010): rtt_ns and status follow from these columns.
    this.insDnsTx = db.prepare(`INSERT INTO dns_tx_rows (query_packet_id, response_packet_id, flow_id, client_id, server_id, txid, qname,
      qtype, rcode, answers, query_ts_ns, response_ts_ns) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`);
    // http_messages is a view over http_rows and http_values (migration 0010).
    this.insHttp = db.prepare(`INSERT INTO http_rows (packet_id, flow_id, is_response, method_id, uri, version_id, host_id, user_agent_id,
      status, reason_id) VALUES (?,?,?,?,?,?,?,?,?,?)`);
    this.insHttpValue = db.prepare('INSERT INTO http_values (value) VALUES (?)');
    for (const v of db.prepare('SELECT id, value FROM http_values').all() as Array<{ id: number; value: string }>) this.httpValueIds.set(v.value, v.id);
    this.insTls = db.prepare('INSERT INTO tls_hellos (packet_id, flow_id, sni, version) VALUES (@packetId, @flowId, @sni, @version)');
    this.insIcmp = db.prepare(`INSERT INTO icmp_errors (packet_id, icmp_ver, type, code, reporter_id, orig_src, orig_dst, orig_proto,
      orig_sport, orig_dport, orig_flow_id, dns_qname) VALUES (@packetId, @icmpVer, @type, @code, @reporterId, @origSrc, @origDst, @origProto,
      @origSport, @origDport, @origFlowId, @dnsQname)`);
    this.insArp = db.prepare(`INSERT INTO arp_messages (packet_id, op, sender_mac, sender_ip, target_mac, target_ip)
      VALUES (@packetId, @op, @senderMac, @senderIp, @targetMac, @targetIp)`);
    this.insComment = db.prepare("INSERT INTO capture_comments (capture_id, scope, if_index, packet_id, text) VALUES (?, ?, ?, ?, ?)");
    this.upTimeline = db.prepare(`INSERT INTO timeline (resolution, bucket, dim, key, packets, bytes) VALUES (1, ?, ?, ?, ?, ?)
      ON CONFLICT (resolution, dim, bucket, key) DO UPDATE SET packets = packets + excluded.packets, bytes = bytes + excluded.bytes`);
    this.hostNames = new HostNameStage(db);
    this.writeBatch = db.transaction((b: PacketBatch) => this.write(b));
  }

  private write(b: PacketBatch): void {
    for (const [id, addr, bin] of b.newAddrs) this.insAddr.run(id, addr, bin ? Buffer.from(bin) : null);
    for (const [id, name] of b.newProtocols) this.insProtocol.run(id, name);
    this.writePackets(b);
    for (const f of unpackFlows(b.flows).sort(byId)) {
      const first = f.firstTsNs, after = (ts: bigint | null) => (ts === null ? null : ts - first);
      this.insFlow.run(f.id, f.ipProto, f.origId, port16(f.origPort), f.respId, f.respPort, first, f.lastTsNs - first, f.origPkts, f.origBytes,
        f.respPkts, f.respBytes, f.connState, f.history, after(f.synTsNs), after(f.synAckTsNs), after(f.ackTsNs), f.synCount, f.synAckCount,
        f.rstOrig, f.rstResp, f.service);
    }
    for (const d of b.dns) this.insDns.run(d);
    for (const t of b.dnsTx) {
      this.insDnsTx.run(t.queryPacketId, t.responsePacketId, t.flowId, t.clientId, t.serverId, t.txid, t.qname, t.qtype, t.rcode,
        t.answers, t.queryTsNs, t.responseTsNs);
    }
    for (const h of b.http) {
      this.insHttp.run(h.packetId, h.flowId, h.kind === 'response' ? 1 : 0, this.httpValue(h.method), h.uri, this.httpValue(h.version),
        this.httpValue(h.host), this.httpValue(h.userAgent), h.status, this.httpValue(h.reason));
    }
    for (const hello of b.tls) this.insTls.run(hello);
    for (const icmpError of b.icmpErrors) this.insIcmp.run(icmpError);
    for (const arp of b.arp) this.insArp.run(arp);
    for (const [packetId, text] of b.comments) this.insComment.run(b.captureId, 'packet', null, packetId, text);
    this.hostNames.add(b.hostNames);
    for (const [bucket, dim, key, packets, bytes] of b.timeline) this.upTimeline.run(bucket, dim, key, packets, bytes);
  }

  private httpValue(value: string | null): number | null {
    if (value === null) return null;
    let id = this.httpValueIds.get(value);
    if (id === undefined) {
      id = Number(this.insHttpValue.run(value).lastInsertRowid);
      this.httpValueIds.set(value, id);
    }
    return id;
  }

  private writePackets(b: PacketBatch): void {
    const { nums, tsNs, captureId, count } = b;
    this.noteTimeOrder(tsNs, count);
    let i = 0;
    const many = this.manyArgs;
    for (; i + ROWS_PER_INSERT <= count; i += ROWS_PER_INSERT) {
      let k = 0;
      for (let row = i; row < i + ROWS_PER_INSERT; row++) k = fillRow(many, k, nums, row, tsNs[row], captureId);
      this.insManyPackets.run(many);
    }
    for (; i < count; i++) {
      fillRow(this.oneArgs, 0, nums, i, tsNs[i], captureId);
      this.insOnePacket.run(this.oneArgs);
    }
    if (b.text !== '' && count > 0) {
      const infos = b.text.split(TEXT_SEP);
      for (let row = 0; row < count; row++) this.insInfo.run(nums[row * NUM_STRIDE + COL.id], infos[row]);
    }
  }

  private noteTimeOrder(tsNs: BigInt64Array, count: number): void {
    if (!this.tsFollowsIds || count === 0) return;
    let last = this.lastTs ?? tsNs[0];
    for (let i = 0; i < count; i++) {
      if (tsNs[i] < last) { this.tsFollowsIds = false; return; }
      last = tsNs[i];
    }
    this.lastTs = last;
  }

  recordInterface(m: InterfaceSeen): void {
    const i = m.iface;
    this.db.prepare(`INSERT OR REPLACE INTO interfaces (capture_id, if_index, link_type, snaplen, name, description, ts_units_per_sec, ts_offset_sec)
      VALUES (?,?,?,?,?,?,?,?)`).run(m.captureId, i.ifIndex, i.linkType, i.snaplen, i.name ?? null, i.description ?? null, i.tsUnitsPerSec, i.tsOffsetSec);
  }

  /** The capture's summary and its next phase ('indexing', or 'failed') commit together. */
  finishCapture(m: CaptureFinished, status: string, phase: 'indexing' | 'failed'): void {
    const db = this.db;
    db.transaction(() => {
      db.prepare(`UPDATE captures SET format = ?, compressed = ?, big_endian = ?, link_types = ?, first_ts_ns = ?, last_ts_ns = ?,
        packet_count = ?, byte_count = ?, status = ?, sha256 = ?, phase = ? WHERE id = ?`).run(m.format, m.compressed ? 1 : 0, m.bigEndian ? 1 : 0,
        JSON.stringify(m.linkTypes), m.firstTsNs, m.lastTsNs, m.packets, m.bytes, status, m.sha256, phase, m.captureId);
      const insErr = db.prepare('INSERT INTO read_errors (capture_id, offset, message, fatal) VALUES (?,?,?,?)');
      if (m.failure) insErr.run(m.captureId, 0, m.failure, 1);
      for (const e of m.errors) insErr.run(m.captureId, e.offset, e.message, e.fatal ? 1 : 0);
      for (const text of m.sectionComments) this.insComment.run(m.captureId, 'section', null, null, text);
      for (const [ifIndex, text] of m.interfaceComments) this.insComment.run(m.captureId, 'interface', ifIndex, null, text);
    })();
  }

  finishJob(m: JobFinished, mergeHosts: boolean): void {
    const db = this.db;
    this.writeBatch(m.final);
    db.transaction(() => {
      const ins = db.prepare(`INSERT INTO hosts (addr_id, ip_ver, macs, pkts_sent, bytes_sent, pkts_recv, bytes_recv, first_ts_ns, last_ts_ns)
        VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (addr_id) DO UPDATE SET pkts_sent = pkts_sent + excluded.pkts_sent,
        bytes_sent = bytes_sent + excluded.bytes_sent, pkts_recv = pkts_recv + excluded.pkts_recv, bytes_recv = bytes_recv + excluded.bytes_recv,
        first_ts_ns = min(first_ts_ns, excluded.first_ts_ns), last_ts_ns = max(last_ts_ns, excluded.last_ts_ns), macs = excluded.macs`);
      const oldMacs = mergeHosts ? db.prepare('SELECT macs FROM hosts WHERE addr_id = ?').pluck() : null;
      for (const h of m.hosts) {
        let macs = h.macs;
        if (oldMacs) {
          const prev = oldMacs.get(h.addrId) as string | undefined;
          if (prev) macs = [...new Set([...(JSON.parse(prev) as string[]), ...macs])].slice(0, 8);
        }
        ins.run(h.addrId, h.ipVersion, JSON.stringify(macs), h.pktsSent, h.bytesSent, h.pktsRecv, h.bytesRecv, h.firstTsNs, h.lastTsNs);
      }
      this.hostNames.finish(m.nextAddrId, m.nrbNames);
    })();
  }
}

/** One packet's row of the multi-row INSERT, in PACKET_SQL_COLS order, read from the packed layout by COL. */
function fillRow(args: unknown[], k: number, nums: Float64Array, row: number, ts: bigint, captureId: number): number {
  const at = row * NUM_STRIDE;
  const caplen = nums[at + COL.caplen], origLen = nums[at + COL.origLen], id = nums[at + COL.id];
  args[k++] = id;
  args[k++] = captureId;
  args[k++] = id - nums[at + COL.frameNo]; // frame_gap: 0 throughout a case's first capture
  args[k++] = ts;
  args[k++] = caplen === origLen ? null : caplen; // NULL when the whole frame was captured
  args[k++] = origLen;
  args[k++] = nums[at + COL.dataOffset];
  args[k++] = nul(nums[at + COL.srcId]);
  args[k++] = nul(nums[at + COL.dstId]);
  args[k++] = port16(nums[at + COL.sport]);
  args[k++] = port16(nums[at + COL.dport]);
  args[k++] = nul(nums[at + COL.ipProto]);
  args[k++] = nul(nums[at + COL.tcpFlags]);
  args[k++] = nums[at + COL.protoId];
  args[k++] = nul(nums[at + COL.flowId]);
  args[k++] = flagBits(nums[at + COL.flags], nums[at + COL.ipVer], nums[at + COL.ifIndex]);
  return k;
}
