/** One connection (flow) as the Conversations table shows it. */
import type { NsString } from './time';

export interface FlowRow {
  id: number;
  proto: string;
  ipProto: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  firstTs: NsString;
  lastTs: NsString;
  durationSec: number;
  origPkts: number;
  origBytes: number;
  respPkts: number;
  respBytes: number;
  connState: string | null;
  service: string | null;
  communityId: string;
  /** Tags of the live annotations on this row's conversation (absent: none; [] annotated without a tag). */
  tags?: string[];
}
