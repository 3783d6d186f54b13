import type { FlowRecord } from './flow-table';

/**
 * A batch's finished flows in a packed layout, as the packets are (COL in decode-worker-messages.ts):
 * the numbers by FLOW_COL in `nums`, the five times by FLOW_TIME in `times`, the three short texts
 * of every flow joined in `text`. The two buffers are transferred to the writer, not copied: cloning
 * ~1,700 flow objects a batch was the largest part of the decode worker's postMessage cost
 * (22 ms a batch of 8,192 small-profile packets, against about 2 ms packed).
 */
export interface PackedFlows {
  count: number;
  nums: Float64Array;
  times: BigInt64Array;
  /** connState, history and service of each flow in turn, joined with FLOW_TEXT_SEP ('' where null). */
  text: string;
}

export const FLOW_COL = {
  id: 0, ipProto: 1, origId: 2, origPort: 3, respId: 4, respPort: 5,
  origPkts: 6, origBytes: 7, respPkts: 8, respBytes: 9,
  synCount: 10, synAckCount: 11, rstOrig: 12, rstResp: 13,
  /** Which of the nullable fields are null: the NULL_* bits. */
  nulls: 14,
} as const;
export const FLOW_STRIDE = Object.keys(FLOW_COL).length;

export const FLOW_TIME = { first: 0, last: 1, syn: 2, synAck: 3, ack: 4 } as const;
export const FLOW_TIME_STRIDE = Object.keys(FLOW_TIME).length;

/** The texts are Flowcase's own codes (conn_state, Zeek history letters, service names), never packet bytes. */
const FLOW_TEXT_SEP = '\u0000';
const TEXTS_PER_FLOW = 3;

const NULL_SYN = 1, NULL_SYNACK = 2, NULL_ACK = 4, NULL_CONN_STATE = 8, NULL_HISTORY = 16, NULL_SERVICE = 32;

export function packFlows(flows: readonly FlowRecord[]): PackedFlows {
  const count = flows.length;
  const nums = new Float64Array(count * FLOW_STRIDE);
  const times = new BigInt64Array(count * FLOW_TIME_STRIDE);
  const texts: string[] = new Array(count * TEXTS_PER_FLOW);
  for (let i = 0; i < count; i++) {
    const f = flows[i];
    const at = i * FLOW_STRIDE;
    nums[at + FLOW_COL.id] = f.id;
    nums[at + FLOW_COL.ipProto] = f.ipProto;
    nums[at + FLOW_COL.origId] = f.origId;
    nums[at + FLOW_COL.origPort] = f.origPort;
    nums[at + FLOW_COL.respId] = f.respId;
    nums[at + FLOW_COL.respPort] = f.respPort;
    nums[at + FLOW_COL.origPkts] = f.origPkts;
    nums[at + FLOW_COL.origBytes] = f.origBytes;
    nums[at + FLOW_COL.respPkts] = f.respPkts;
    nums[at + FLOW_COL.respBytes] = f.respBytes;
    nums[at + FLOW_COL.synCount] = f.synCount;
    nums[at + FLOW_COL.synAckCount] = f.synAckCount;
    nums[at + FLOW_COL.rstOrig] = f.rstOrig;
    nums[at + FLOW_COL.rstResp] = f.rstResp;
    nums[at + FLOW_COL.nulls] = (f.synTsNs === null ? NULL_SYN : 0) | (f.synAckTsNs === null ? NULL_SYNACK : 0) | (f.ackTsNs === null ? NULL_ACK : 0)
      | (f.connState === null ? NULL_CONN_STATE : 0) | (f.history === null ? NULL_HISTORY : 0) | (f.service === null ? NULL_SERVICE : 0);
    const t = i * FLOW_TIME_STRIDE;
    times[t + FLOW_TIME.first] = f.firstTsNs;
    times[t + FLOW_TIME.last] = f.lastTsNs;
    times[t + FLOW_TIME.syn] = f.synTsNs ?? 0n;
    times[t + FLOW_TIME.synAck] = f.synAckTsNs ?? 0n;
    times[t + FLOW_TIME.ack] = f.ackTsNs ?? 0n;
    const s = i * TEXTS_PER_FLOW;
    texts[s] = f.connState ?? '';
    texts[s + 1] = f.history ?? '';
    texts[s + 2] = f.service ?? '';
  }
  return { count, nums, times, text: texts.join(FLOW_TEXT_SEP) };
}

/** The buffers to list in postMessage's transfer list. */
export function flowBuffers(p: PackedFlows): ArrayBuffer[] {
  return [p.nums.buffer as ArrayBuffer, p.times.buffer as ArrayBuffer];
}

/** The writer's side: the flows as records again, in the order they were packed. */
export function unpackFlows(p: PackedFlows): FlowRecord[] {
  const { count, nums, times } = p;
  const texts = count > 0 ? p.text.split(FLOW_TEXT_SEP) : [];
  const out: FlowRecord[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const at = i * FLOW_STRIDE;
    const t = i * FLOW_TIME_STRIDE;
    const s = i * TEXTS_PER_FLOW;
    const nulls = nums[at + FLOW_COL.nulls];
    out[i] = {
      id: nums[at + FLOW_COL.id], ipProto: nums[at + FLOW_COL.ipProto],
      origId: nums[at + FLOW_COL.origId], origPort: nums[at + FLOW_COL.origPort],
      respId: nums[at + FLOW_COL.respId], respPort: nums[at + FLOW_COL.respPort],
      firstTsNs: times[t + FLOW_TIME.first], lastTsNs: times[t + FLOW_TIME.last],
      origPkts: nums[at + FLOW_COL.origPkts], origBytes: nums[at + FLOW_COL.origBytes],
      respPkts: nums[at + FLOW_COL.respPkts], respBytes: nums[at + FLOW_COL.respBytes],
      connState: nulls & NULL_CONN_STATE ? null : texts[s],
      history: nulls & NULL_HISTORY ? null : texts[s + 1],
      synTsNs: nulls & NULL_SYN ? null : times[t + FLOW_TIME.syn],
      synAckTsNs: nulls & NULL_SYNACK ? null : times[t + FLOW_TIME.synAck],
      ackTsNs: nulls & NULL_ACK ? null : times[t + FLOW_TIME.ack],
      synCount: nums[at + FLOW_COL.synCount], synAckCount: nums[at + FLOW_COL.synAckCount],
      rstOrig: nums[at + FLOW_COL.rstOrig], rstResp: nums[at + FLOW_COL.rstResp],
      service: nulls & NULL_SERVICE ? null : texts[s + 2],
    };
  }
  return out;
}
