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
  /** The id packet links carry (renderer/src/lib/packet-link.ts); absent before a case is open. */
  caseId?: string | null;
  /**
   * 'indexing' while captures are read or indexes built, 'analysing' while the detectors run (the
   * findings are not there yet), 'complete' only when the last run has finished.
   */
  status: 'empty' | 'indexing' | 'analysing' | 'complete' | 'incomplete';
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
