/**
 * The decode worker: reads captures, decodes every frame, keeps the flow, host, DNS and timeline
 * tables, and sends packed batches to the writer. It never touches SQLite, so the writer's
 * transactions and this loop run on two cores at once.
 */
import { parentPort } from 'node:worker_threads';
import { readCapture } from '../capture/read-capture';
import type { CaptureInterface, CaptureRecord } from '../capture/capture-record';
import type { DnsSummary, PacketSummary } from '../decode/packet-summary';
import { decodeFrame } from '../decode/decode-frame';
import { newSummary, PKT_HAS_COMMENT, PKT_TCP_RETRANSMISSION } from '../decode/packet-summary';
import { AddressDictionary } from './address-dictionary';
import { startsWithGzipMagic } from '../capture/detect-format';
import { ProtocolCodes } from './protocol-codes';
import { DnsMatcher } from './dns-matcher';
import { FlowTable } from './flow-table';
import { flowBuffers, packFlows } from './flow-pack';
import { HostTable } from './host-table';
import type { CaptureFinished, CaptureJob, PacketBatch, WorkerStart, WorkerToWriter, WriterToWorker } from './decode-worker-messages';
import { COL, NUM_STRIDE, TEXT_SEP } from './decode-worker-messages';
import { FileHasher } from '../capture/file-hasher';
import { PacketBatchBuilder } from './packet-batch-builder';
import { TimelineAccumulator } from './timeline-accumulator';
import { nsOf } from './time-ns';

/** Batches sent but not yet committed; reading pauses beyond this (bounded memory). */
const MAX_IN_FLIGHT = 3;

const port = parentPort;
if (!port) throw new Error('decode-worker must run in a worker thread');

let inFlight = 0;
let cancelled = false;
let wake: (() => void) | null = null;

function post(msg: WorkerToWriter, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(msg, transfer);
}

function send(batch: PacketBatch): void {
  inFlight++;
  post(batch, [batch.nums.buffer as ArrayBuffer, batch.tsNs.buffer as ArrayBuffer, ...flowBuffers(batch.flows)]);
}

function waitForRoom(): Promise<void> | void {
  if (inFlight < MAX_IN_FLIGHT || cancelled) return;
  return new Promise((resolve) => { wake = resolve; });
}

port.on('message', (msg: WriterToWorker) => {
  if (msg.type === 'ack') {
    inFlight--;
    if (wake && inFlight < MAX_IN_FLIGHT) { const w = wake; wake = null; w(); }
  } else if (msg.type === 'cancel') {
    cancelled = true;
    if (wake) { const w = wake; wake = null; w(); }
  } else if (msg.type === 'start') {
    run(msg).catch((err) => post({ type: 'fatal', message: err instanceof Error ? err.stack || err.message : String(err) }));
  }
});

async function run(start: WorkerStart): Promise<void> {
  const job = new DecodeJob(start);
  for (const cap of start.captures) {
    if (cancelled) break;
    post(await job.readCapture(cap));
  }
  job.finish();
}

/** What one capture's pass has counted so far: frames, bytes, time span, link types. */
class CaptureTally {
  frameNo = 0;
  bytes = 0;
  fileBytesRead = 0;
  private firstSec = -1;
  private firstNsec = 0;
  private lastSec = -1;
  private lastNsec = 0;
  readonly linkTypes = new Set<number>();

  observe(rec: CaptureRecord): void {
    this.frameNo++;
    this.bytes += rec.origLen;
    this.linkTypes.add(rec.linkType);
    const { tsSec, tsNsec } = rec;
    if (this.firstSec < 0 || tsSec < this.firstSec || (tsSec === this.firstSec && tsNsec < this.firstNsec)) { this.firstSec = tsSec; this.firstNsec = tsNsec; }
    if (tsSec > this.lastSec || (tsSec === this.lastSec && tsNsec > this.lastNsec)) { this.lastSec = tsSec; this.lastNsec = tsNsec; }
  }

  fillIn(done: CaptureFinished): void {
    done.packets = this.frameNo;
    done.bytes = this.bytes;
    done.firstTsNs = this.firstSec >= 0 ? nsOf(this.firstSec, this.firstNsec) : null;
    done.lastTsNs = this.lastSec >= 0 ? nsOf(this.lastSec, this.lastNsec) : null;
    done.linkTypes = [...this.linkTypes].sort((a, b) => a - b);
  }
}

/** One job: the aggregates that span its captures (addresses, flows, hosts, DNS, timeline) and the batch being filled. */
class DecodeJob {
  private readonly dict: AddressDictionary;
  private readonly protocols: ProtocolCodes;
  private readonly flows: FlowTable;
  private readonly hosts = new HostTable();
  private readonly dns = new DnsMatcher();
  private readonly timeline = new TimelineAccumulator();
  private readonly nrbNames: Array<[addr: string, name: string]> = [];
  /** Reused for every frame: the decoders fill it in place. */
  private readonly summary = newSummary();
  private nextPacketId: number;
  private builder: PacketBatchBuilder;

  constructor(private readonly start: WorkerStart) {
    this.dict = new AddressDictionary(start.existingAddrs);
    this.protocols = new ProtocolCodes(start.existingProtocols);
    this.flows = new FlowTable(start.firstFlowId);
    this.nextPacketId = start.firstPacketId;
    this.builder = new PacketBatchBuilder(0, start.batchSize);
  }

  /** Read, decode and batch one capture; resolves to what the writer records about it. */
  async readCapture(cap: CaptureJob): Promise<CaptureFinished> {
    this.builder = new PacketBatchBuilder(cap.captureId, this.start.batchSize);
    const storeInfo = startsWithGzipMagic(cap.path);
    const tally = new CaptureTally();
    const done: CaptureFinished = {
      type: 'capture-done', captureId: cap.captureId, format: 'unknown', compressed: false, bigEndian: false, packets: 0, bytes: 0, firstTsNs: null, lastTsNs: null, sha256: '',
      linkTypes: [], errors: [], sectionComments: [], interfaceComments: [], stoppedEarly: false, failure: null,
    };
    // The evidence hash is taken from the same pass over the file, in step with the reader.
    const hasher = new FileHasher(cap.path);
    try {
      const summary = await readCapture(cap.path, {
        onRecord: (rec: CaptureRecord) => this.onRecord(rec, tally, storeInfo),
        onInterface: (iface: CaptureInterface) => {
          post({ type: 'interface', captureId: cap.captureId, iface });
          for (const comment of iface.comments) done.interfaceComments.push([iface.ifIndex, comment]);
        },
        onChunk: (read: number) => {
          tally.fileBytesRead = read;
          hasher.catchUp(read);
          if (this.builder.batch.count > 0 && inFlight === 0) this.flush(read);
          const wait = waitForRoom();
          if (wait) return wait.then(() => !cancelled);
          return !cancelled;
        },
      });
      done.errors = summary.errors;
      done.sectionComments = summary.sectionComments;
      done.stoppedEarly = summary.stoppedEarly || cancelled;
      done.format = summary.format;
      done.compressed = summary.compressed;
      done.bigEndian = summary.bigEndian;
      for (const { addr, name } of summary.names) this.nrbNames.push([addr, name]);
    } catch (err) {
      done.failure = err instanceof Error ? err.message : String(err);
      done.stoppedEarly = true;
    }
    done.sha256 = hasher.finish();
    if (this.builder.batch.count > 0) this.flush(tally.fileBytesRead);
    await waitForRoom();
    tally.fillIn(done);
    return done;
  }

  /** One frame: decode it, feed the aggregates, pack its row and its protocol rows into the batch. */
  private onRecord(rec: CaptureRecord, tally: CaptureTally, storeInfo: boolean): void {
    const s = this.summary; // decodeFrame resets it
    // The Info text is only kept for gzip captures (storeInfo); elsewhere it is derived when shown.
    decodeFrame(rec.linkType, rec.data, s, null, rec.origLen, null, storeInfo);
    const packetId = this.nextPacketId++;
    tally.observe(rec);
    const wire = rec.origLen;
    const srcId = s.src ? this.dict.idOf(s.src) : -1;
    const dstId = s.dst ? this.dict.idOf(s.dst) : -1;
    const seen = this.flows.observe(s, srcId, dstId, rec.tsSec, rec.tsNsec, wire);
    const flowId = seen.flowId;
    let flags = s.flags;
    if (seen.retransmission) flags |= PKT_TCP_RETRANSMISSION;
    if (s.ipVersion !== 0 && srcId >= 0 && dstId >= 0) this.hosts.observe(srcId, dstId, s.ipVersion, s.macSrc, wire, rec.tsSec, rec.tsNsec);
    this.timeline.observe(rec.tsSec, s.protocol, s.ipProto, s.tcpFlags, wire);

    const batch = this.builder.batch;
    const row = batch.count++;
    this.packRow(batch, row, rec, tally.frameNo, packetId, srcId, dstId, flowId);
    if (storeInfo) this.builder.texts.push(s.info.includes(TEXT_SEP) ? s.info.replaceAll(TEXT_SEP, '.') : s.info);
    if (s.dns) this.noteDns(batch, s.dns, rec, packetId, flowId, srcId, dstId);
    this.pushProtocolRows(batch, packetId, flowId, srcId);
    if (rec.comments && rec.comments.length) {
      flags |= PKT_HAS_COMMENT;
      for (const comment of rec.comments) batch.comments.push([packetId, comment]);
    }
    batch.nums[row * NUM_STRIDE + COL.flags] = flags;
    if (this.builder.full) this.flush(tally.fileBytesRead);
  }

  /** The packet's numeric columns, by name (COL), into the packed layout; -1 stands for NULL. */
  private packRow(batch: PacketBatch, row: number, rec: CaptureRecord, frameNo: number, packetId: number, srcId: number, dstId: number, flowId: number): void {
    const s = this.summary;
    const nums = batch.nums;
    const at = row * NUM_STRIDE;
    nums[at + COL.id] = packetId;
    nums[at + COL.frameNo] = frameNo;
    nums[at + COL.ifIndex] = rec.ifIndex;
    nums[at + COL.caplen] = rec.caplen;
    nums[at + COL.origLen] = rec.origLen;
    nums[at + COL.dataOffset] = rec.dataOffset;
    nums[at + COL.ipVer] = s.ipVersion;
    nums[at + COL.srcId] = srcId;
    nums[at + COL.dstId] = dstId;
    nums[at + COL.sport] = s.icmp ? s.icmp.type : s.sport;
    nums[at + COL.dport] = s.icmp ? s.icmp.code : s.dport;
    nums[at + COL.ipProto] = s.ipProto;
    nums[at + COL.tcpFlags] = s.ipProto === 6 ? s.tcpFlags : -1;
    nums[at + COL.flowId] = flowId;
    nums[at + COL.protoId] = this.protocols.idOf(s.protocol || 'Unknown');
    batch.tsNs[row] = nsOf(rec.tsSec, rec.tsNsec);
  }

  /**
   * The DNS message row, the query/response matcher, and names learnt from A/AAAA answers: sent
   * with the batch and kept by the writer (host-name-stage.ts), not held here until the end.
   */
  private noteDns(batch: PacketBatch, dnsInfo: DnsSummary, rec: CaptureRecord, packetId: number, flowId: number, srcId: number, dstId: number): void {
    const s = this.summary;
    // The answers are kept once, with the transaction (dns_transactions.answers), not again per message.
    batch.dns.push([packetId, dnsInfo.id, dnsInfo.isResponse ? 1 : 0, dnsInfo.opcode, dnsInfo.rcode, dnsInfo.qname, dnsInfo.qtype, '[]']);
    if (s.ipVersion !== 0) this.dns.observe(dnsInfo, packetId, flowId, s.src, s.sport, s.dst, s.dport, srcId, dstId, rec.tsSec, rec.tsNsec);
    if (!dnsInfo.isResponse || dnsInfo.rcode !== 0) return;
    for (const answer of dnsInfo.answers) {
      if ((answer.type === 1 || answer.type === 28) && answer.data) batch.hostNames.push([answer.data, answer.name]);
    }
  }

  /** Rows for the HTTP, TLS, ICMP-error and ARP tables, when the frame carries one. */
  private pushProtocolRows(batch: PacketBatch, packetId: number, flowId: number, srcId: number): void {
    const s: PacketSummary = this.summary;
    const flow = flowId >= 0 ? flowId : null;
    if (s.http) {
      const h = s.http;
      batch.http.push({ packetId, flowId: flow, kind: h.kind, method: h.method ?? null, uri: h.uri ?? null, version: h.version ?? null,
        host: h.host ?? null, userAgent: h.userAgent ?? null, status: h.status ?? null, reason: h.reason ?? null });
    }
    if (s.tls && (s.tls.handshake === 'client_hello' || s.tls.sni)) batch.tls.push({ packetId, flowId: flow, sni: s.tls.sni ?? null, version: s.tls.version });
    if (s.icmp && s.icmp.isError) {
      const quoted = s.icmp.quoted;
      const quotedSrc = quoted ? this.dict.peek(quoted.src) : undefined;
      const quotedDst = quoted ? this.dict.peek(quoted.dst) : undefined;
      const origFlow = quoted && quoted.sport >= 0 && quotedSrc !== undefined && quotedDst !== undefined
        ? this.flows.lookup(quoted.ipProto, quotedSrc, quoted.sport, quotedDst, quoted.dport) : -1;
      batch.icmpErrors.push({
        packetId, icmpVer: s.icmp.version, type: s.icmp.type, code: s.icmp.code, reporterId: srcId >= 0 ? srcId : null,
        origSrc: quoted ? quoted.src : null, origDst: quoted ? quoted.dst : null, origProto: quoted ? quoted.ipProto : null,
        origSport: quoted && quoted.sport >= 0 ? quoted.sport : null, origDport: quoted && quoted.dport >= 0 ? quoted.dport : null,
        origFlowId: origFlow >= 0 ? origFlow : null, dnsQname: quoted?.dnsQname ?? null,
      });
    }
    if (s.arp) {
      const arp = s.arp;
      batch.arp.push({ packetId, op: arp.op, senderMac: arp.senderMac, senderIp: arp.senderIp, targetMac: arp.targetMac, targetIp: arp.targetIp });
    }
  }

  /** Move what the aggregates have finished into the batch, then send it. */
  private flush(fileBytesRead: number): void {
    const batch = this.builder.batch;
    batch.newAddrs = this.dict.takeNew();
    batch.newProtocols = this.protocols.takeNew();
    batch.flows = packFlows(this.flows.takeFinished());
    batch.dnsTx = this.dns.take();
    batch.timeline = this.timeline.takeDelta();
    batch.fileBytesRead = fileBytesRead;
    send(this.builder.take());
  }

  /** End of job: close every flow, report unanswered DNS queries, hand over hosts and the name blocks' names. */
  finish(): void {
    const final = new PacketBatchBuilder(0, 1).batch;
    final.flows = packFlows(this.flows.closeAll());
    final.dnsTx = this.dns.finish();
    final.timeline = this.timeline.takeDelta();
    final.newAddrs = this.dict.takeNew();
    final.newProtocols = this.protocols.takeNew();
    post({ type: 'job-done', hosts: this.hosts.records(), nrbNames: this.nrbNames, nextAddrId: this.dict.nextIdToAssign, cancelled, final },
      [final.nums.buffer as ArrayBuffer, final.tsNs.buffer as ArrayBuffer, ...flowBuffers(final.flows)]);
  }
}
