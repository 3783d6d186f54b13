/** A stored finding: the summary every list shows and the full record the finding panel and reports read. */
import type { Endpoint } from './endpoint';
import type { Severity } from './severity';
import type { NsString } from './time';

export interface FindingSummary {
  id: number;
  kind: string;
  title: string;
  severity: Severity;
  confidence: number;
  startTs: NsString;
  endTs: NsString;
  targets: Endpoint[];
  sources: Endpoint[];
  evidenceTotal: number;
}

export interface Finding extends FindingSummary {
  metrics: Record<string, number | string>;
  explanation: string;
  affected: Array<{ addr: string; detail: string; count?: number; firstTs?: NsString; lastTs?: NsString }>;
  recommendations: string[];
  mitre: Array<{ id: string; name: string }>;
  evidencePacketIds: number[];
  flowIds: number[];
  /** Each evidence role as a display filter + time window selecting all of its packets. */
  evidenceQueries: EvidenceQuery[];
}

export interface EvidenceQuery {
  role: string;
  filter: string;
  from: NsString;
  to: NsString;
  total: number;
  /** False when the role's packets could not be described exactly: the list then shows its cited sample. */
  exact: boolean;
}
