/**
 * The handler table: one async function per channel, shared by Electron IPC (ipc-bridge.ts) and
 * browser mode (serve/). `invoke()` validates the arguments against the channel table
 * (channels.ts) before a handler runs, so handlers receive typed, checked arguments; `satisfies`
 * ties the table to the channel table so a channel cannot be missing or return the wrong shape.
 */
import { toApiError, type ApiError } from './api-failure';
import { validateArgs, type ArgsOf, type Channel, type ResultOf } from './channels';
import type { CaseSession } from '../session/case-session';
import { caseOverview, emptyOverview } from '../query/overview';
import { timelineSeries } from '../query/timeline';
import { listFlows } from '../query/flows';
import { listHosts } from '../query/hosts';
import { packetDetail } from '../query/packet-detail';
import { countPackets, packetMatches, pagePackets } from '../query/packet-query';
import { checkFilter } from '../query/display-filter/index';
import { getFinding, listFindings } from '../query/findings';
import { hostGraph } from '../query/host-graph';
import { edgeFlows } from '../query/graph-edge-flows';
import { writeHomeNetworks, writePositions } from '../query/graph-settings';
import { hostProfile } from '../query/host-profile';
import { handshakePair, ladderPage } from '../query/ladder';
import {
  addAnnotation, annotationHistory, deleteAnnotation, editAnnotation, restoreAnnotation, setAnalyst, supersedeAnnotation,
} from '../../db/annotation-store';
import { currentAnalyst } from '../../db/custody';
import { annotationMarks, annotationsForPacket, annotationsForTarget, flowFilterText, listAnnotations, withTags } from '../query/annotations';
import { custodyStatus } from '../query/case-verify';
import type { FlowRow } from '../model/flow';
import type { HostRow } from '../model/host';
import { reportHandlers } from './report-handlers';

export type Handlers = { [C in Channel]: (args: ArgsOf<C>) => Promise<ResultOf<C>> };

export function createHandlers(session: CaseSession) {
  return {
    'case.overview': async () => session.hasCase() ? caseOverview(session.db(), session.casePath!) : emptyOverview(),
    'capture.import': async (a) => ({ jobId: session.importCaptures(a.paths) }),
    'capture.cancel': async (a) => ({ ok: session.jobs.cancel(a.jobId) }),
    'capture.relocate': async (a) => session.relocate(a.captureId, a.path),
    'filter.check': async (a) => checkFilter(a.filter),
    'packets.page': async (a) => pagePackets(session.db(), a),
    'packets.count': async (a) => ({ count: countPackets(session.db(), a) }),
    'packets.locate': async ({ id, ...q }) => ({ exists: packetMatches(session.db(), id, q) }),
    'packet.detail': async (a) => packetDetail(session.db(), a.id),
    'timeline.get': async (a) => timelineSeries(session.db(), a),
    'flows.list': async (a) => withTags(session.db(), 'flow', listFlows(session.db(), a), (r: FlowRow) => String(r.id)),
    'hosts.list': async (a) => withTags(session.db(), 'host', listHosts(session.db(), a), (r: HostRow) => r.addr),
    'findings.list': async () => listFindings(session.db()),
    'findings.get': async (a) => getFinding(session.db(), a.id), // throws ApiFailure('not-found') itself
    'graph.get': async (a) => hostGraph(session.db(), a),
    'graph.edgeFlows': async (a) => edgeFlows(session.db(), a.src, a.dst),
    'graph.savePositions': async (a) => ({ saved: writePositions(session.db(), a.positions) }),
    'graph.setHomeNetworks': async (a) => ({ homeNetworks: writeHomeNetworks(session.db(), a.cidrs) }),
    'host.profile': async (a) => hostProfile(session.db(), a.addr),
    'ladder.page': async (a) => ladderPage(session.db(), a),
    'ladder.compare': async (a) => handshakePair(session.db(), a.findingId),
    'annotations.list': async (a) => listAnnotations(session.db(), a),
    'annotations.forPacket': async (a) => annotationsForPacket(session.db(), a.id),
    'annotations.forTarget': async (a) => annotationsForTarget(session.db(), a.kind, a.ref),
    'annotations.marks': async () => annotationMarks(session.db()),
    'annotations.flowFilter': async (a) => ({ filter: flowFilterText(session.db(), a.id) }),
    'annotations.history': async (a) => annotationHistory(session.db(), a.id),
    'annotations.add': async (a) => session.write((db) => addAnnotation(db, a)),
    'annotations.edit': async ({ id, ...patch }) => session.write((db) => editAnnotation(db, id, patch)),
    'annotations.supersede': async ({ id, ...patch }) => session.write((db) => supersedeAnnotation(db, id, patch)),
    'annotations.delete': async (a) => session.write((db) => deleteAnnotation(db, a.id)),
    'annotations.restore': async (a) => session.write((db) => restoreAnnotation(db, a.id)),
    'analyst.get': async () => {
      const db = session.db();
      const row = db.prepare("SELECT value FROM case_meta WHERE key = 'analyst'").get() as { value: string } | undefined;
      return { name: currentAnalyst(db), set: !!row };
    },
    'analyst.set': async (a) => ({ name: session.write((db) => setAnalyst(db, a.name)), set: true }),
    'custody.status': async () => custodyStatus(session.db()),
    ...reportHandlers(session),
  } satisfies Handlers;
}

export type InvokeResult<C extends Channel> = { ok: true; result: ResultOf<C> } | { ok: false; error: ApiError };

/**
 * Validate the arguments, run one channel's handler and turn any failure into an ApiError (both
 * transports use this; it is the only place arguments are checked).
 */
export async function invoke<C extends Channel>(handlers: Handlers, channel: C, args: unknown): Promise<InvokeResult<C>> {
  try {
    const checked = validateArgs(channel, args);
    const result = await (handlers[channel] as (a: ArgsOf<C>) => Promise<ResultOf<C>>)(checked);
    return { ok: true, result };
  } catch (err) {
    return { ok: false, error: toApiError(err) };
  }
}
