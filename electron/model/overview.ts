/** The case at a glance: captures, totals, top talkers and findings. */
import type { CaptureInfo, CasePhase } from './capture';
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
  /** The phase of the last ingest run (complete when nothing is pending). */
  phase?: CasePhase;
  /** Set when the last run stopped mid-phase (crash, kill -9, disk full): "incomplete: interrupted while PHASE", and what is missing. */
  interrupted?: { phase: 'reading' | 'indexing' | 'analysing'; missing: string[]; captures: Array<{ id: number; name: string; packets: number }> };
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
