/**
 * Handlers for the report and bundle channels (report.*, bundle.*), spread into the handler
 * table. Edits go through a short-lived writable connection, so the session's query connection
 * stays read-only; every edit is a new version with its custody entry (report-document.ts).
 */
import path from 'node:path';
import { openCase, type CaseDb } from '../../db/open-case';
import { ApiFailure } from './api-failure';
import type { CaseSession } from '../session/case-session';
import type { ArgsOf, Channel, ResultOf } from './channels';
import type { ReportView } from '../model/report';
import { diffVersions, finaliseReport, openReport, refreshReport, reportState, ReportError, saveReport, type ReportState } from '../export/report-document';
import { exportReport } from '../export/report-export';
import { readLinkValues } from '../export/report-links';
import { BundleError, writeBundle } from '../export/bundle/write-bundle';
import { BundleUnusableError, verifyBundle } from '../export/bundle/verify-bundle';
import { GuardedWriteError } from '../files/guarded-write';

type ReportChannel = Extract<Channel, `report.${string}` | `bundle.${string}`>;
type ReportHandlers = { [C in ReportChannel]: (args: ArgsOf<C>) => Promise<ResultOf<C>> };

function requireCase(session: CaseSession): string {
  if (!session.hasCase() || !session.casePath) throw new ApiFailure('not-found', 'Open a case first.');
  return session.casePath;
}

/** Runs `fn` on a writable connection to the open case; report errors become bad-argument failures. */
async function withWriter<T>(session: CaseSession, fn: (db: CaseDb) => T | Promise<T>): Promise<T> {
  const casePath = requireCase(session);
  if (session.jobs.busy()) throw new ApiFailure('busy', 'A capture is being indexed; edit the report after it finishes.');
  const db = openCase(casePath);
  db.pragma('busy_timeout = 5000');
  try {
    return await fn(db);
  } catch (err) {
    if (err instanceof ReportError || err instanceof BundleError || err instanceof GuardedWriteError) throw new ApiFailure('bad-argument', err.message);
    throw err;
  } finally {
    db.close();
  }
}

function view(db: CaseDb, s: ReportState): ReportView {
  return { ...s, caseName: path.basename(db.name), links: Object.fromEntries(readLinkValues(db)) };
}

export function reportHandlers(session: CaseSession): ReportHandlers {
  return {
    'report.export': async (a) => withWriter(session, async (db) => {
      const { bytes, text } = await exportReport(db, { format: a.format, version: a.version ?? 'latest', paper: a.paper });
      const base = path.basename(db.name).replace(/\.flowcase$/, '');
      const suffix = text.version !== null ? `-v${text.version}` : '';
      return {
        fileName: `${base}-report${suffix}.${a.format}`,
        content: a.format === 'pdf' ? bytes.toString('base64') : bytes.toString('utf8'),
        encoding: a.format === 'pdf' ? 'base64' as const : 'utf8' as const,
        sha256: text.sha256,
      };
    }),
    'report.open': async (a) => withWriter(session, (db) => {
      const s = openReport(db);
      return view(db, a.versionId ? reportState(db, s.documentId, a.versionId) : s);
    }),
    'report.save': async (a) => withWriter(session, (db) => view(db, saveReport(db, a.documentId, { title: a.title, sections: a.sections, note: a.note }))),
    'report.refresh': async (a) => withWriter(session, (db) => view(db, refreshReport(db, a.documentId))),
    'report.finalise': async (a) => withWriter(session, (db) => {
      finaliseReport(db, a.documentId);
      return view(db, reportState(db, a.documentId));
    }),
    'report.diff': async (a) => withWriter(session, (db) => diffVersions(db, a.fromId, a.toId)),
    'bundle.export': async (a) => withWriter(session, (db) => writeBundle(db, { out: a.path, includeCaptures: a.includeCaptures, filter: a.filter, force: a.force })),
    'bundle.verify': async (a) => {
      try { return await verifyBundle(path.resolve(a.path)); } catch (err) {
        if (err instanceof BundleUnusableError) throw new ApiFailure('bad-argument', err.message);
        throw err;
      }
    },
  };
}
