/** One capture file of a case, with its integrity as checked at the time of the call. */
import type { NsString } from './time';

/** Ingest phases, recorded in the case in the same transaction as each phase's work. */
export type CasePhase = 'reading' | 'indexing' | 'analysing' | 'complete' | 'failed';

export interface CaptureInfo {
  id: number;
  path: string;
  name: string;
  size: number;
  sha256: string;
  format: string;
  compressed: boolean;
  linkTypes: number[];
  firstTs: NsString | null;
  lastTs: NsString | null;
  packetCount: number;
  byteCount: number;
  status: 'indexing' | 'complete' | 'incomplete' | 'failed';
  /** Where its ingest is (crash truth, schema 5): reading → indexing → analysing → complete, or failed. */
  phase?: CasePhase;
  /** Source-file integrity at the time of the call. */
  integrity: 'ok' | 'missing' | 'changed' | 'unchecked';
  integrityDetail?: string;
  readErrors: Array<{ offset: number; message: string; fatal: boolean }>;
}
