/**
 * The handler table: one async function per channel, shared by Electron IPC (ipc-bridge.ts) and
 * browser mode (serve/). Every handler validates its arguments first; `satisfies` ties the table
 * to the contract so a channel cannot be missing or return the wrong shape.
 */
import path from 'node:path';
import type { ApiError, Channel, ResultOf } from './contract';
import { toApiError } from './api-failure';
import { validateArgs } from './validate';
import type { CaseSession } from '../session/case-session';
import { caseOverview, emptyOverview } from '../query/overview';
import { timelineSeries } from '../query/timeline';
import { listFlows } from '../query/flows';
import { listHosts } from '../query/hosts';
import { packetDetail } from '../query/packet-detail';
import { countPackets, packetMatches, pagePackets } from '../query/packet-query';
import { checkFilter } from '../query/display-filter/index';
import { getFinding, listFindings } from '../query/findings';
import { renderReportMarkdown } from '../export/report-markdown';
import { renderReportHtml } from '../export/report-html';

export type Handlers = { [C in Channel]: (args: unknown) => Promise<ResultOf<C>> };

export function createHandlers(session: CaseSession) {
  return {
    'case.overview': async (args) => {
      validateArgs('case.overview', args);
      return session.hasCase() ? caseOverview(session.db(), session.casePath!) : emptyOverview();
    },
    'capture.import': async (args) => {
      const a = validateArgs('capture.import', args);
      return { jobId: session.importCaptures(a.paths) };
    },
    'capture.cancel': async (args) => {
      const a = validateArgs('capture.cancel', args);
      return { ok: session.jobs.cancel(a.jobId) };
    },
    'capture.relocate': async (args) => {
      const a = validateArgs('capture.relocate', args);
      return session.relocate(a.captureId, a.path);
    },
    'filter.check': async (args) => {
      const a = validateArgs('filter.check', args);
      return checkFilter(a.filter);
    },
    'packets.page': async (args) => {
      const a = validateArgs('packets.page', args);
      return pagePackets(session.db(), a);
    },
    'packets.count': async (args) => {
      const a = validateArgs('packets.count', args);
      return { count: countPackets(session.db(), a) };
    },
    'packets.locate': async (args) => {
      const { id, ...q } = validateArgs('packets.locate', args);
      return { exists: packetMatches(session.db(), id, q) };
    },
    'packet.detail': async (args) => {
      const a = validateArgs('packet.detail', args);
      return packetDetail(session.db(), a.id);
    },
    'timeline.get': async (args) => {
      const a = validateArgs('timeline.get', args);
      return timelineSeries(session.db(), a);
    },
    'flows.list': async (args) => {
      const a = validateArgs('flows.list', args);
      return listFlows(session.db(), a);
    },
    'hosts.list': async (args) => {
      const a = validateArgs('hosts.list', args);
      return listHosts(session.db(), a);
    },
    'findings.list': async (args) => {
      validateArgs('findings.list', args);
      return listFindings(session.db());
    },
    'findings.get': async (args) => {
      const a = validateArgs('findings.get', args);
      return getFinding(session.db(), a.id); // throws ApiFailure('not-found') itself
    },
    'report.export': async (args) => {
      const a = validateArgs('report.export', args);
      const db = session.db();
      const base = path.basename(session.casePath!, '.flowcase');
      const content = a.format === 'md' ? await renderReportMarkdown(db) : await renderReportHtml(db);
      return { content, fileName: `${base}-report.${a.format}` };
    },
  } satisfies Handlers;
}

export type InvokeResult<C extends Channel> = { ok: true; result: ResultOf<C> } | { ok: false; error: ApiError };

/** Run one channel's handler and turn any failure into an ApiError (both transports use this). */
export async function invoke<C extends Channel>(handlers: Handlers, channel: C, args: unknown): Promise<InvokeResult<C>> {
  try {
    const result = await (handlers[channel] as (a: unknown) => Promise<ResultOf<C>>)(args);
    return { ok: true, result };
  } catch (err) {
    return { ok: false, error: toApiError(err) };
  }
}
