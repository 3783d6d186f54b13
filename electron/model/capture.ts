/** One capture file of a case, with its integrity as checked at the time of the call. */
import type { NsString } from './time';

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
  /** Source-file integrity at the time of the call. */
  integrity: 'ok' | 'missing' | 'changed' | 'unchecked';
  integrityDetail?: string;
  readErrors: Array<{ offset: number; message: string; fatal: boolean }>;
}
