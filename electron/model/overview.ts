/** The case at a glance: captures, totals, top talkers and findings. */
import type { CaptureInfo } from './capture';
import type { FindingSummary } from './finding';
import type { NsString } from './time';

export interface Talker {
  addr: string;
  packets: number;
  bytes: number;
  names: string[];
}

export interface CaseOverview {
  casePath: string;
  status: 'empty' | 'indexing' | 'complete' | 'incomplete';
  captures: CaptureInfo[];
  firstTs: NsString | null;
  lastTs: NsString | null;
  packetCount: number;
  byteCount: number;
  flowCount: number;
  hostCount: number;
  topTalkers: Talker[];
  findings: FindingSummary[];
}
