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
}
