/** One address as the Endpoints table shows it. */
import type { NsString } from './time';

export interface HostRow {
  addr: string;
  ipVersion: number;
  macs: string[];
  names: string[];
  pktsSent: number;
  bytesSent: number;
  pktsRecv: number;
  bytesRecv: number;
  firstTs: NsString;
  lastTs: NsString;
  /** Tags of the live annotations on this row's host (absent: none; [] annotated without a tag). */
  tags?: string[];
}
