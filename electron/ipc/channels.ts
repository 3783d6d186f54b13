/**
 * The channel table: every request → response channel, once. Each entry names the argument type,
 * the result type and the runtime check of the arguments; `Channels`, `CHANNELS`, the argument
 * validation in `invoke()`, the Electron bridge, the preload's methods and the handler table's
 * type all derive from it, so a channel added here and nowhere else is a compile error in the
 * handler table until its handler exists.
 *
 * To add a channel: one entry here (`'thing.verb': channel<Args, Result>(object({...}, {...}))`),
 * then its handler in handlers.ts. Nothing else.
 */
import type { CaptureInfo } from '../model/capture';
import type { FilterCheck } from '../model/filter-check';
import type { Finding, FindingSummary } from '../model/finding';
import type { FlowRow } from '../model/flow';
import type { HostRow } from '../model/host';
import type { ListQuery } from '../model/list-query';
import type { CaseOverview } from '../model/overview';
import type { PacketDetail, PacketPage, PacketQuery } from '../model/packet';
import type { TimelineQuery, TimelineSeries } from '../model/timeline';
import type { HandshakePair, HostGraph, HostProfile, LadderPage } from '../model/graph';
import { address, edgeQuery, graphQuery, homeNetworks, ladderQuery, savePositions } from './graph-checks';
import type {
  Annotation, AnnotationInput, AnnotationMarks, AnnotationPatch, AnnotationQuery, AnnotationVersion, CustodyStatus, PacketAnnotations,
} from '../model/annotation';
import { analystName, annotationKind, annotationPatchShape, annotationTarget, includeFlag, noteText, tagList } from './annotation-checks';
import type {
  BundleSummary, BundleVerification, ReportDiffLine, ReportExportFile, ReportSectionInput, ReportView,
} from '../model/report';
import { FLOW_SORT_KEYS } from '../query/flows';
import { HOST_SORT_KEYS } from '../query/hosts';
import {
  arrayOf, id, int, LIMITS, listQuery, nsString, object, oneOf, packetQuery, packetQueryShape, path, str, timeRange,
  type Check,
} from './validate';
import { ApiFailure } from './api-failure';

declare const resultType: unique symbol;

/** One channel: the check that turns untrusted input into `A`, and (as a type only) its result `R`. */
export interface ChannelSpec<A, R> {
  readonly validate: Check<A>;
  readonly [resultType]?: R;
}

/** The check's output must be assignable to the declared argument type, so the two cannot drift. */
function channel<A, R>(validate: Check<A>): ChannelSpec<A, R> {
  return { validate };
}

type NoArgs = Record<string, never>;
type GraphQueryArgs = import('../model/graph').GraphQuery;
type LadderQueryArgs = import('../model/graph').LadderQuery;

const bool: Check<boolean> = (v, where) => {
  if (typeof v !== 'boolean') throw new ApiFailure('bad-argument', `${where} must be true or false`);
  return v;
};
const reportVersion: Check<number | 'latest' | 'finalised'> = (v, where) =>
  v === 'latest' || v === 'finalised' ? v : int(1, 1_000_000_000)(v, where);
const reportSection = object(
  { key: str({ max: 100 }), title: str({ max: 300 }), level: ((v, where) => int(2, 3)(v, where) as 2 | 3) as Check<2 | 3>, markdown: str({ max: 1_000_000 }) },
  {},
);
const noArgs = object({}, {});

export const CHANNEL_TABLE = {
  'case.overview': channel<NoArgs, CaseOverview>(noArgs),
  'capture.import': channel<{ paths: string[] }, { jobId: number }>(object({ paths: arrayOf(path, 1, LIMITS.importPaths) }, {})),
  'capture.cancel': channel<{ jobId: number }, { ok: boolean }>(object({ jobId: id }, {})),
  'capture.relocate': channel<{ captureId: number; path: string }, CaptureInfo>(object({ captureId: id, path }, {})),
  'filter.check': channel<{ filter: string }, FilterCheck>(object({ filter: str({ max: LIMITS.filterChars }) }, {})),
  'packets.page': channel<PacketQuery, PacketPage>(packetQuery(object({}, packetQueryShape))),
  'packets.count': channel<PacketQuery, { count: number }>(packetQuery(object({}, packetQueryShape))),
  'packets.locate': channel<{ id: number } & PacketQuery, { exists: boolean }>(packetQuery(object({ id }, packetQueryShape))),
  'packet.detail': channel<{ id: number }, PacketDetail>(object({ id }, {})),
  'timeline.get': channel<TimelineQuery, TimelineSeries>(timeRange(object(
    { metric: oneOf('packets', 'bytes'), dim: oneOf('proto', 'tcp') },
    {
      from: nsString, to: nsString, buckets: int(1, LIMITS.timelineBuckets),
      scopeFilter: str({ max: LIMITS.filterChars }), scopeFrom: nsString, scopeTo: nsString, scopeFindingId: id,
    },
  ))),
  'flows.list': channel<ListQuery, { rows: FlowRow[]; total: number; cursor: string | null }>(listQuery(FLOW_SORT_KEYS)),
  'hosts.list': channel<ListQuery, { rows: HostRow[]; total: number; cursor: string | null }>(listQuery(HOST_SORT_KEYS)),
  'findings.list': channel<NoArgs, FindingSummary[]>(noArgs),
  'findings.get': channel<{ id: number }, Finding>(object({ id }, {})),
  // Host graph, per-host panel and conversation ladder (issue 9).
  'graph.get': channel<GraphQueryArgs, HostGraph>(graphQuery),
  'graph.edgeFlows': channel<{ src: string; dst: string }, { rows: FlowRow[]; total: number }>(edgeQuery),
  'graph.savePositions': channel<{ positions: Array<{ node: string; x: number; y: number; pinned: boolean }> }, { saved: number }>(savePositions),
  'graph.setHomeNetworks': channel<{ cidrs: string[] }, { homeNetworks: string[] }>(homeNetworks),
  'host.profile': channel<{ addr: string }, HostProfile>(object({ addr: address }, {})),
  'ladder.page': channel<LadderQueryArgs, LadderPage>(ladderQuery),
  'ladder.compare': channel<{ findingId: number }, HandshakePair>(object({ findingId: id }, {})),
  'annotations.list': channel<AnnotationQuery, Annotation[]>(object({}, {
    tag: str({ max: 64 }), author: str({ max: 128 }), kind: annotationKind, text: str({ max: 256 }),
    filter: str({ max: LIMITS.filterChars }), includeDeleted: includeFlag, limit: int(1, 10_000),
  })),
  'annotations.forPacket': channel<{ id: number }, PacketAnnotations>(object({ id }, {})),
  'annotations.forTarget': channel<{ kind: 'flow' | 'host' | 'finding' | 'case'; ref: string }, Annotation[]>(
    object({ kind: oneOf('flow', 'host', 'finding', 'case'), ref: str({ max: 64 }) }, {})),
  'annotations.marks': channel<NoArgs, AnnotationMarks>(noArgs),
  'annotations.flowFilter': channel<{ id: number }, { filter: string | null }>(object({ id }, {})),
  'annotations.history': channel<{ id: number }, AnnotationVersion[]>(object({ id }, {})),
  'annotations.add': channel<AnnotationInput, Annotation>(object({ target: annotationTarget }, { text: noteText, tags: tagList, includeInReport: includeFlag })),
  'annotations.edit': channel<{ id: number } & AnnotationPatch, Annotation>(object({ id }, annotationPatchShape)),
  'annotations.supersede': channel<{ id: number } & AnnotationPatch, Annotation>(object({ id }, annotationPatchShape)),
  'annotations.delete': channel<{ id: number }, Annotation>(object({ id }, {})),
  'annotations.restore': channel<{ id: number }, Annotation>(object({ id }, {})),
  'analyst.get': channel<NoArgs, { name: string; set: boolean }>(noArgs),
  'analyst.set': channel<{ name: string }, { name: string; set: boolean }>(object({ name: analystName }, {})),
  'custody.status': channel<NoArgs, CustodyStatus>(noArgs),
  'report.export': channel<{ format: 'md' | 'html' | 'pdf'; version?: number | 'latest' | 'finalised'; paper?: 'A4' | 'LETTER' }, ReportExportFile>(
    object({ format: oneOf('md', 'html', 'pdf') }, { version: reportVersion, paper: oneOf('A4', 'LETTER') })),
  'report.open': channel<{ versionId?: number }, ReportView>(object({}, { versionId: id })),
  'report.save': channel<{ documentId: number; title: string; sections: ReportSectionInput[]; note?: string }, ReportView>(object(
    { documentId: id, title: str({ max: 300 }), sections: arrayOf(reportSection, 0, 500) }, { note: str({ max: 500 }) })),
  'report.refresh': channel<{ documentId: number }, ReportView>(object({ documentId: id }, {})),
  'report.finalise': channel<{ documentId: number }, ReportView>(object({ documentId: id }, {})),
  'report.diff': channel<{ fromId: number; toId: number }, ReportDiffLine[]>(object({ fromId: id, toId: id }, {})),
  'bundle.export': channel<{ path: string; includeCaptures?: boolean; filter?: string; force?: boolean }, BundleSummary>(object(
    { path }, { includeCaptures: bool, filter: str({ max: LIMITS.filterChars }), force: bool })),
  'bundle.verify': channel<{ path: string }, BundleVerification>(object({ path }, {})),
};

type ChannelTable = typeof CHANNEL_TABLE;

/** Request → response channels: name → { args, result }. */
export type Channels = {
  [C in keyof ChannelTable]: ChannelTable[C] extends ChannelSpec<infer A, infer R> ? { args: A; result: R } : never;
};
export type Channel = keyof Channels;
export type ArgsOf<C extends Channel> = Channels[C]['args'];
export type ResultOf<C extends Channel> = Channels[C]['result'];

/** Every channel name, for the transports that register or route them. */
export const CHANNELS = Object.keys(CHANNEL_TABLE) as Channel[];

/** True when `name` is a known channel (own property, so '__proto__' or 'toString' never match). */
export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(CHANNEL_TABLE, name);
}

/** Validate `args` for `channel`; throws ApiFailure('bad-argument') with a message naming the field. */
export function validateArgs<C extends Channel>(channel: C, args: unknown): ArgsOf<C> {
  return (CHANNEL_TABLE[channel].validate as Check<ArgsOf<C>>)(args, channel);
}
