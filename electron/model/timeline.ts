/** The traffic-over-time series behind the timeline chart. */
import type { NsString } from './time';

export type TimelineMetric = 'packets' | 'bytes';
export type TimelineDim = 'proto' | 'tcp';

export interface TimelineQuery {
  from?: NsString;
  to?: NsString;
  metric: TimelineMetric;
  dim: TimelineDim;
  /** Approximate number of buckets wanted over the range. */
  buckets?: number;
  /** The workbench scope, drawn as a second layer over the whole-case series (absent: no layer). */
  scopeFilter?: string;
  scopeFrom?: NsString;
  scopeTo?: NsString;
  scopeFindingId?: number;
}

export interface TimelineSeries {
  /** Bucket width in nanoseconds (string) and in seconds (number, for the chart). */
  widthNs: NsString;
  widthSec: number;
  /** Start of bucket 0 as ns string, and the range asked or covered. */
  startNs: NsString;
  keys: string[];
  /** One entry per non-empty bucket: offset (in buckets from startNs) and one value per key. */
  points: Array<{ i: number; values: number[] }>;
  /** When a scope was given: the scoped packets (or bytes) per non-empty bucket, same buckets. */
  scoped?: Array<{ i: number; value: number }>;
}
