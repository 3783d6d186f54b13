/**
 * The decode worker: reads captures, decodes every frame, keeps the flow, host, DNS and timeline
 * tables, and sends packed batches to the writer. It never touches SQLite, so the writer's
 * transactions and this loop run on two cores at once.
 */
import { parentPort } from 'node:worker_threads';
import { readCapture } from '../capture/read-capture';
import type { CaptureInterface, CaptureRecord } from '../capture/capture-record';
import { decodeFrame } from '../decode/decode-frame';
import { newSummary, resetSummary, PKT_HAS_COMMENT, PKT_TCP_RETRANSMISSION } from '../decode/packet-summary';
import { AddressDictionary } from './address-dictionary';
import { startsWithGzipMagic } from '../capture/detect-format';
import { ProtocolCodes } from './protocol-codes';
import { DnsMatcher } from './dns-matcher';
import { FlowTable } from './flow-table';
import { HostTable } from './host-table';
import type { CaptureFinished, PacketBatch, WorkerStart, WorkerToWriter, WriterToWorker } from './decode-worker-messages';
import { NUM_STRIDE, TEXT_SEP } from './decode-worker-messages';
import { FileHasher } from './file-hasher';
import { PacketBatchBuilder } from './packet-batch-builder';
import { TimelineAccumulator } from './timeline-accumulator';
import { nsOf } from './time-ns';

/** Batches sent but not yet committed; reading pauses beyond this (bounded memory). */
const MAX_IN_FLIGHT = 3;
/** Names remembered from DNS answers, at most (bounded memory under a DNS flood). */
const MAX_DNS_NAMES = 50_000;

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
  post(batch, [batch.nums.buffer as ArrayBuffer, batch.tsNs.buffer as ArrayBuffer]);
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
  const dict = new AddressDictionary(start.existingAddrs);
  const protocols = new ProtocolCodes(start.existingProtocols);
  const flows = new FlowTable(start.firstFlowId);
  const hosts = new HostTable();
  const dns = new DnsMatcher();
  const timeline = new TimelineAccumulator();
  const dnsNames = new Map<string, Set<string>>();
  const nrbNames: Array<{ addr: string; name: string }> = [];
  const s = newSummary();
  let packetId = start.firstPacketId;
  let builder = new PacketBatchBuilder(0, start.batchSize);

  /** Move what the aggregates have finished into the batch, then send it. */
  const flush = (fileBytesRead: number) => {
    const b = builder.batch;
    b.newAddrs = dict.takeNew();
    b.newProtocols = protocols.takeNew();
    b.flows = flows.takeFinished();
    b.dnsTx = dns.take();
    b.timeline = timeline.takeDelta();
    b.fileBytesRead = fileBytesRead;
    send(builder.take());
  };

  for (const cap of start.captures) {
    if (cancelled) break;
    builder = new PacketBatchBuilder(cap.captureId, start.batchSize);
    const storeInfo = startsWithGzipMagic(cap.path);
    let frameNo = 0, bytes = 0, fileBytesRead = 0;
    let firstSec = -1, firstNsec = 0, lastSec = -1, lastNsec = 0;
    const linkTypes = new Set<number>();
    const ifaceComments: Array<[number, string]> = [];
    const done: CaptureFinished = {
      type: 'capture-done', captureId: cap.captureId, format: 'unknown', compressed: false, bigEndian: false, packets: 0, bytes: 0, firstTsNs: null, lastTsNs: null, sha256: '',
      linkTypes: [], errors: [], sectionComments: [], interfaceComments: ifaceComments, stoppedEarly: false, failure: null,
    };

    const onRecord = (rec: CaptureRecord) => {
      resetSummary(s);
      decodeFrame(rec.linkType, rec.data, s, null, rec.origLen);
      const id = packetId++;
      frameNo++;
      const wire = rec.origLen;
      bytes += wire;
      linkTypes.add(rec.linkType);
      if (firstSec < 0 || rec.tsSec < firstSec || (rec.tsSec === firstSec && rec.tsNsec < firstNsec)) { firstSec = rec.tsSec; firstNsec = rec.tsNsec; }
      if (rec.tsSec > lastSec || (rec.tsSec === lastSec && rec.tsNsec > lastNsec)) { lastSec = rec.tsSec; lastNsec = rec.tsNsec; }
      const srcId = s.src ? dict.idOf(s.src) : -1;
      const dstId = s.dst ? dict.idOf(s.dst) : -1;
      const obs = flows.observe(s, srcId, dstId, rec.tsSec, rec.tsNsec, wire);
      const flowId = obs.flowId;
      let flags = s.flags;
      if (obs.retransmission) flags |= PKT_TCP_RETRANSMISSION;
      if (s.ipVersion !== 0 && srcId >= 0 && dstId >= 0) hosts.observe(srcId, dstId, s.ipVersion, s.macSrc, wire, rec.tsSec, rec.tsNsec);
      timeline.observe(rec.tsSec, s.protocol, s.ipProto, s.tcpFlags, wire);

      const b = builder.batch;
      const i = b.count++;
      const o = i * NUM_STRIDE;
      const n = b.nums;
      n[o] = id; n[o + 1] = frameNo; n[o + 2] = rec.ifIndex; n[o + 3] = rec.caplen; n[o + 4] = wire;
      n[o + 5] = rec.dataOffset; n[o + 6] = s.ipVersion; n[o + 7] = srcId; n[o + 8] = dstId;
      if (s.icmp) { n[o + 9] = s.icmp.type; n[o + 10] = s.icmp.code; }
      else { n[o + 9] = s.sport; n[o + 10] = s.dport; }
      n[o + 11] = s.ipProto; n[o + 12] = s.ipProto === 6 ? s.tcpFlags : -1; n[o + 13] = flowId;
      b.tsNs[i] = nsOf(rec.tsSec, rec.tsNsec);
      n[o + 15] = protocols.idOf(s.protocol || 'Unknown');
      if (storeInfo) builder.texts.push(s.info.includes(TEXT_SEP) ? s.info.replaceAll(TEXT_SEP, '.') : s.info);

      if (s.dns) {
        const d = s.dns;
        b.dns.push([id, d.id, d.isResponse ? 1 : 0, d.opcode, d.rcode, d.qname, d.qtype, d.answers.length ? JSON.stringify(d.answers) : '[]']);
        if (s.ipVersion !== 0) dns.observe(d, id, flowId, s.src, s.sport, s.dst, s.dport, srcId, dstId, rec.tsSec, rec.tsNsec);
        if (d.isResponse && d.rcode === 0) {
          for (const a of d.answers) {
            if ((a.type === 1 || a.type === 28) && a.data && (dnsNames.size < MAX_DNS_NAMES || dnsNames.has(a.data))) {
              let set = dnsNames.get(a.data);
              if (!set) { set = new Set(); dnsNames.set(a.data, set); }
              if (set.size < 16) set.add(a.name);
            }
          }
        }
      }
      if (s.http) {
        const h = s.http;
        b.http.push([id, flowId, h.kind, h.method ?? null, h.uri ?? null, h.version ?? null, h.host ?? null, h.userAgent ?? null, h.status ?? null, h.reason ?? null]);
      }
      if (s.tls && (s.tls.handshake === 'client_hello' || s.tls.sni)) b.tls.push([id, flowId, s.tls.sni ?? null, s.tls.version]);
      if (s.icmp && s.icmp.isError) {
        const q = s.icmp.quoted;
        const qSrc = q ? dict.peek(q.src) : undefined, qDst = q ? dict.peek(q.dst) : undefined;
        const origFlow = q && q.sport >= 0 && qSrc !== undefined && qDst !== undefined ? flows.lookup(q.ipProto, qSrc, q.sport, qDst, q.dport) : -1;
        b.icmpErrors.push([id, s.icmp.version, s.icmp.type, s.icmp.code, srcId,
          q ? q.src : null, q ? q.dst : null, q ? q.ipProto : null, q && q.sport >= 0 ? q.sport : null, q && q.dport >= 0 ? q.dport : null,
          origFlow >= 0 ? origFlow : null, q?.dnsQname ?? null]);
      }
      if (s.arp) b.arp.push([id, s.arp.op, s.arp.senderMac, s.arp.senderIp, s.arp.targetMac, s.arp.targetIp]);
      if (rec.comments && rec.comments.length) {
        flags |= PKT_HAS_COMMENT;
        for (const c of rec.comments) b.comments.push([id, c]);
      }
      n[o + 14] = flags;
      if (builder.full) flush(fileBytesRead);
    };

    // The evidence hash is taken from the same pass over the file, in step with the reader.
    const hasher = new FileHasher(cap.path);
    try {
      const summary = await readCapture(cap.path, {
        onRecord,
        onInterface: (iface: CaptureInterface) => {
          post({ type: 'interface', captureId: cap.captureId, iface });
          for (const c of iface.comments) ifaceComments.push([iface.ifIndex, c]);
        },
        onChunk: (read: number) => {
          fileBytesRead = read;
          hasher.catchUp(read);
          if (builder.batch.count > 0 && inFlight === 0) flush(read);
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
      for (const n of summary.names) nrbNames.push(n);
    } catch (err) {
      done.failure = err instanceof Error ? err.message : String(err);
      done.stoppedEarly = true;
    }
    done.sha256 = hasher.finish();
    if (builder.batch.count > 0) flush(fileBytesRead);
    await waitForRoom();
    done.packets = frameNo;
    done.bytes = bytes;
    done.firstTsNs = firstSec >= 0 ? nsOf(firstSec, firstNsec) : null;
    done.lastTsNs = lastSec >= 0 ? nsOf(lastSec, lastNsec) : null;
    done.linkTypes = [...linkTypes].sort((a, b) => a - b);
    post(done);
  }

  // End of job: close every flow, report unanswered DNS queries, hand over hosts and names.
  builder = new PacketBatchBuilder(0, 1);
  const final = builder.batch;
  final.flows = flows.closeAll();
  final.dnsTx = dns.finish();
  final.timeline = timeline.takeDelta();
  const names: Array<[number, string, 'dns' | 'nrb']> = [];
  for (const [addr, set] of dnsNames) for (const name of set) names.push([dict.idOf(addr), name, 'dns']);
  for (const { addr, name } of nrbNames) names.push([dict.idOf(addr), name, 'nrb']);
  final.newAddrs = dict.takeNew();
  final.newProtocols = protocols.takeNew();
  post({ type: 'job-done', hosts: hosts.records(), names, cancelled, final }, [final.nums.buffer as ArrayBuffer, final.tsNs.buffer as ArrayBuffer]);
}
