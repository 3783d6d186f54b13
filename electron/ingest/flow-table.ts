import type { PacketSummary } from '../decode/packet-summary';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../decode/packet-summary';
import { FlowIndex } from './flow-index';
import { connState, O_ACK, O_DATA, O_FIN, O_RST, O_SYN, R_ANY, R_DATA, R_FIN, R_RST, R_SYNACK } from './tcp-conn-state';
import { nsOf } from './time-ns';

/** A finished (evicted or end-of-capture) flow, ready for the `flows` table. */
export interface FlowRecord {
  id: number;
  ipProto: number;
  origId: number; origPort: number;
  respId: number; respPort: number;
  firstTsNs: bigint; lastTsNs: bigint;
  origPkts: number; origBytes: number; respPkts: number; respBytes: number;
  connState: string | null;
  history: string | null;
  synTsNs: bigint | null; synAckTsNs: bigint | null; ackTsNs: bigint | null;
  synCount: number; synAckCount: number; rstOrig: number; rstResp: number;
  service: string | null;
}

interface FlowState {
  id: number; lo: number; hi: number; ipProto: number;
  origAddr: string; origPort: number; respAddr: string; respPort: number;
  origId: number; respId: number;
  firstSec: number; firstNsec: number; lastSec: number; lastNsec: number; lastT: number;
  origPkts: number; origBytes: number; respPkts: number; respBytes: number;
  st: number; history: string;
  synSeq: number; synAckSeq: number;
  synTs: bigint | null; synAckTs: bigint | null; ackTs: bigint | null;
  synCount: number; synAckCount: number; rstOrig: number; rstResp: number;
  service: string | null;
}

// ICMP echo-like pairs: the reply is keyed with its request so both directions form one flow.
const ICMP4_REQUEST_OF: Record<number, number> = { 0: 8, 14: 13, 16: 15, 9: 10, 18: 17 };
const ICMP4_REPLY_OF: Record<number, number> = { 8: 0, 13: 14, 15: 16, 10: 9, 17: 18 };
const ICMP6_REQUEST_OF: Record<number, number> = { 129: 128, 134: 133, 136: 135, 131: 130, 145: 144 };
const ICMP6_REPLY_OF: Record<number, number> = { 128: 129, 133: 134, 135: 136, 130: 131, 144: 145 };

/**
 * Idle timeouts after which a flow is closed, in seconds: Zeek's inactivity default for
 * established TCP, shorter for closed connections and for attempts that never got established
 * (a SYN flood or scan leaves hundreds of thousands of those, and they must not pile up).
 */
const TCP_IDLE_S = 300;
const TCP_ATTEMPT_IDLE_S = 30;
const TCP_CLOSED_IDLE_S = 5;
const OTHER_IDLE_S = 60;
/** At most this many flows are kept in memory; beyond it the least recently active are closed early (bounded memory). */
const MAX_ACTIVE_FLOWS = 100_000;
/** Idle flows are looked for after this much capture time, or this many packets, whichever comes first. */
const SWEEP_EVERY_SECONDS = 10;
const SWEEP_EVERY_PACKETS = 1_048_576;

export interface FlowObservation { flowId: number; retransmission: boolean }

export class FlowTable {
  private readonly active = new FlowIndex<FlowState>();
  private finished: FlowRecord[] = [];
  private nextId: number;
  private sinceSweep = 0;
  private lastSweepT = Number.NaN;
  private readonly result: FlowObservation = { flowId: -1, retransmission: false };

  constructor(firstId: number) {
    this.nextId = firstId;
  }

  /** Flow id of an already-seen 5-tuple (for ICMP errors quoting a packet), or -1. */
  lookup(ipProto: number, aId: number, ap: number, bId: number, bp: number): number {
    const k = flowKey(ipProto, aId, ap, bId, bp);
    const f = this.active.get(k.lo, k.hi);
    return f ? f.id : -1;
  }

  /**
   * Account one IP packet (srcId/dstId: its addresses' dictionary ids); returns its flow id
   * (-1 when not an IP packet) and whether it is a handshake retransmission.
   */
  observe(p: PacketSummary, srcId: number, dstId: number, tsSec: number, tsNsec: number, wireLen: number): FlowObservation {
    const r = this.result;
    r.flowId = -1; r.retransmission = false;
    if (p.ipVersion === 0 || p.ipProto < 0) return r;
    const t = tsSec + tsNsec / 1e9;
    let sport = p.sport < 0 ? 0 : p.sport;
    let dport = p.dport < 0 ? 0 : p.dport;
    let isReply = false;
    let oneWayIcmp = false;
    if (p.icmp) {
      // Zeek convention: type in the originator port, the counterpart type (or code) in the responder port.
      const v6 = p.icmp.version === 6;
      const req = (v6 ? ICMP6_REQUEST_OF : ICMP4_REQUEST_OF)[p.icmp.type];
      const rep = (v6 ? ICMP6_REPLY_OF : ICMP4_REPLY_OF)[p.icmp.type];
      if (req !== undefined) { sport = req; dport = p.icmp.type; isReply = true; }
      else if (rep !== undefined) { sport = p.icmp.type; dport = rep; }
      else { sport = p.icmp.type; dport = p.icmp.code; oneWayIcmp = true; }
    }
    // A reply is keyed from its requester's side (its destination), so request and reply share a key.
    const k = oneWayIcmp ? oneWayKey(p.ipProto, srcId, sport, dstId, dport)
      : isReply ? flowKey(p.ipProto, dstId, sport, srcId, dport) : flowKey(p.ipProto, srcId, sport, dstId, dport);
    let f = this.active.get(k.lo, k.hi);
    if (f !== undefined && p.ipProto === 6 && startsNewConnection(f, p)) {
      // As Zeek and tshark's tcp.stream do: a fresh SYN on a closed or reused 4-tuple is a new connection.
      const lo = k.lo, hi = k.hi;
      this.active.delete(f);
      this.finished.push(this.record(f));
      k.lo = lo; k.hi = hi;
      f = undefined;
    }
    if (f === undefined) {
      f = this.open(k.lo, k.hi, p, isReply, srcId, dstId, sport, dport, tsSec, tsNsec, t);
    }
    // Direction: the originator's packets are the ones it sends (an ICMP reply comes from the
    // responder); a packet from an address to itself is told apart by its port.
    const isOrig = srcId !== dstId ? srcId === f.origId : sport === f.origPort;
    f.lastSec = tsSec; f.lastNsec = tsNsec; f.lastT = t;
    if (isOrig) { f.origPkts++; f.origBytes += wireLen; } else { f.respPkts++; f.respBytes += wireLen; f.st |= R_ANY; }
    if (p.ipProto === 6) this.tcp(f, p, isOrig, tsSec, tsNsec, r);
    if (f.service === null) f.service = p.dns ? 'dns' : p.http ? 'http' : p.tls ? 'ssl' : null;
    r.flowId = f.id;
    if (!(t - this.lastSweepT < SWEEP_EVERY_SECONDS) || ++this.sinceSweep >= SWEEP_EVERY_PACKETS) {
      if (this.lastSweepT === this.lastSweepT) this.sweep(t); // NaN on the first packet: nothing to sweep yet
      this.sinceSweep = 0; this.lastSweepT = t;
    }
    return r;
  }

  private open(lo: number, hi: number, p: PacketSummary, isReply: boolean, srcId: number, dstId: number, sport: number, dport: number, tsSec: number, tsNsec: number, t: number): FlowState {
    // The originator is the first packet's sender, unless that packet is clearly a reply:
    // a SYN/ACK, an ICMP reply, or a packet from a well-known port to an ephemeral one (midstream start).
    let swap = false;
    if (p.ipProto === 6 && (p.tcpFlags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK)) swap = true;
    // An answer-type ICMP message sent to a group (router advertisement to ff02::1, unsolicited
    // neighbour advertisement) answers nobody in particular: its sender is the originator.
    else if (p.icmp) swap = isReply && !isGroupAddress(p.dst); else if (!(p.ipProto === 6 && (p.tcpFlags & TCP_SYN)) && p.sport >= 0 && p.sport < 1024 && p.dport >= 1024) swap = true;
    const origAddr = swap ? p.dst : p.src;
    const respAddr = swap ? p.src : p.dst;
    let origPort = swap ? dport : sport;
    let respPort = swap ? sport : dport;
    if (p.icmp) { origPort = sport; respPort = dport; }
    const f: FlowState = {
      id: this.nextId++, lo, hi, ipProto: p.ipProto,
      origAddr, origPort, respAddr, respPort, origId: swap ? dstId : srcId, respId: swap ? srcId : dstId,
      firstSec: tsSec, firstNsec: tsNsec, lastSec: tsSec, lastNsec: tsNsec, lastT: t,
      origPkts: 0, origBytes: 0, respPkts: 0, respBytes: 0, st: 0, history: '',
      synSeq: -1, synAckSeq: -1, synTs: null, synAckTs: null, ackTs: null,
      synCount: 0, synAckCount: 0, rstOrig: 0, rstResp: 0, service: null,
    };
    this.active.set(f);
    if (this.active.size > MAX_ACTIVE_FLOWS) this.evictOldest();
    return f;
  }

  private tcp(f: FlowState, p: PacketSummary, isOrig: boolean, tsSec: number, tsNsec: number, r: FlowObservation): void {
    const fl = p.tcpFlags;
    const syn = (fl & TCP_SYN) !== 0, ack = (fl & TCP_ACK) !== 0;
    if (syn && !ack) {
      if (isOrig) {
        f.synCount++;
        if (f.st & O_SYN) { if (p.tcpSeq === f.synSeq) { r.retransmission = true; mark(f, 'T'); } }
        else { f.st |= O_SYN; f.synSeq = p.tcpSeq; f.synTs = nsOf(tsSec, tsNsec); mark(f, 'S'); }
      }
    } else if (syn && ack) {
      if (!isOrig) {
        f.synAckCount++;
        if (f.st & R_SYNACK) { if (p.tcpSeq === f.synAckSeq) { r.retransmission = true; mark(f, 't'); } }
        else { f.st |= R_SYNACK; f.synAckSeq = p.tcpSeq; f.synAckTs = nsOf(tsSec, tsNsec); mark(f, 'h'); }
      }
    } else if (ack && isOrig && (f.st & R_SYNACK) && !(f.st & O_ACK) && !(fl & TCP_RST)) {
      f.st |= O_ACK; f.ackTs = nsOf(tsSec, tsNsec); mark(f, 'A');
    }
    if (p.payloadLen > 0) { f.st |= isOrig ? O_DATA : R_DATA; mark(f, isOrig ? 'D' : 'd'); }
    if (fl & TCP_FIN) { f.st |= isOrig ? O_FIN : R_FIN; mark(f, isOrig ? 'F' : 'f'); }
    if (fl & TCP_RST) {
      f.st |= isOrig ? O_RST : R_RST; mark(f, isOrig ? 'R' : 'r');
      if (isOrig) f.rstOrig++; else f.rstResp++;
    }
  }

  private sweep(now: number): void {
    const idleFlows: FlowState[] = [];
    for (const f of this.active.values()) {
      const closed = (f.st & (O_RST | R_RST)) || ((f.st & O_FIN) && (f.st & R_FIN));
      const established = (f.st & O_ACK) !== 0;
      const idle = f.ipProto !== 6 ? OTHER_IDLE_S : closed ? TCP_CLOSED_IDLE_S : established ? TCP_IDLE_S : TCP_ATTEMPT_IDLE_S;
      if (now - f.lastT > idle) idleFlows.push(f);
    }
    for (const f of idleFlows) { this.active.delete(f); this.finished.push(this.record(f)); }
  }

  /** Over the cap, close the least recently active fifth of the flows. */
  private evictOldest(): void {
    const all = [...this.active.values()].sort((a, b) => a.lastT - b.lastT);
    const n = all.length - Math.floor(MAX_ACTIVE_FLOWS * 0.8);
    for (let i = 0; i < n; i++) { this.active.delete(all[i]); this.finished.push(this.record(all[i])); }
  }

  /** Flows closed since the last call. */
  takeFinished(): FlowRecord[] {
    const out = this.finished;
    this.finished = [];
    return out;
  }

  /** Close every flow (end of job). */
  closeAll(): FlowRecord[] {
    for (const f of this.active.values()) this.finished.push(this.record(f));
    this.active.clear();
    return this.takeFinished();
  }

  private record(f: FlowState): FlowRecord {
    return {
      id: f.id, ipProto: f.ipProto, origId: f.origId, origPort: f.origPort, respId: f.respId, respPort: f.respPort,
      firstTsNs: nsOf(f.firstSec, f.firstNsec), lastTsNs: nsOf(f.lastSec, f.lastNsec),
      origPkts: f.origPkts, origBytes: f.origBytes, respPkts: f.respPkts, respBytes: f.respBytes,
      connState: f.ipProto === 6 ? connState(f.st) : null,
      history: f.ipProto === 6 ? f.history : null,
      synTsNs: f.synTs, synAckTsNs: f.synAckTs, ackTsNs: f.ackTs,
      synCount: f.synCount, synAckCount: f.synAckCount, rstOrig: f.rstOrig, rstResp: f.rstResp,
      service: f.service,
    };
  }
}

/**
 * A SYN (not a retransmission: a new initial sequence number) on a flow that is closed, or that
 * already had a SYN with another sequence number (the port was reused for a new attempt).
 */
function startsNewConnection(f: FlowState, p: PacketSummary): boolean {
  if ((p.tcpFlags & (TCP_SYN | TCP_ACK | TCP_RST)) !== TCP_SYN) return false;
  const closed = (f.st & (O_RST | R_RST)) !== 0 || ((f.st & O_FIN) !== 0 && (f.st & R_FIN) !== 0);
  const reused = (f.st & O_SYN) !== 0 && p.tcpSeq !== f.synSeq;
  return closed || reused;
}

/** IPv4 multicast (224.0.0.0/4) and broadcast, IPv6 multicast (ff00::/8). */
function isGroupAddress(addr: string): boolean {
  if (addr.includes(':')) return /^ff/i.test(addr);
  const first = Number(addr.split('.')[0]);
  return (first >= 224 && first <= 239) || addr === '255.255.255.255';
}

const KEY = { lo: 0, hi: 0 };

/** Both directions of a conversation map to the same (lo, hi) pair; `hi` also carries the protocol. */
function flowKey(proto: number, aId: number, ap: number, bId: number, bp: number): { lo: number; hi: number } {
  const x = aId * 65536 + ap, y = bId * 65536 + bp;
  if (x <= y) { KEY.lo = x; KEY.hi = (y * 256 + proto) * 2; } else { KEY.lo = y; KEY.hi = (x * 256 + proto) * 2; }
  return KEY;
}

/** ICMP error types are one-way: keep the direction (and a marker bit so they never meet a two-way key). */
function oneWayKey(proto: number, srcId: number, sp: number, dstId: number, dp: number): { lo: number; hi: number } {
  KEY.lo = srcId * 65536 + sp;
  KEY.hi = ((dstId * 65536 + dp) * 256 + proto) * 2 + 1;
  return KEY;
}

/** Zeek-style history: each letter once per flow, in the order first seen. */
function mark(f: FlowState, letter: string): void {
  if (f.history.length < 24 && !f.history.includes(letter)) f.history += letter;
}
