/** `flowcase annotate` (add, edit, delete, restore) and `flowcase annotations` (list). */
import {
  addAnnotation, AnnotationError, deleteAnnotation, editAnnotation, getAnnotation, restoreAnnotation, supersedeAnnotation,
} from '../../db/annotation-store';
import { readCustody } from '../../db/custody';
import type { CaseDb } from '../../db/open-case';
import { describeTarget, type Annotation, type AnnotationPatch, type AnnotationTarget, type AnnotationTargetKind } from '../model/annotation';
import { FilterError } from '../query/display-filter';
import { listAnnotations } from '../query/annotations';
import { intOption, parseArgs, UsageError, type ParsedArgs } from './cli-args';
import { CliInputError } from './case-commands';
import { openReadableCase, openWritableCase } from './custody-commands';
import { safeText, table } from './format';

export const ANNOTATE_USAGE = `flowcase annotate <case> (--packet N | --flow N | --host ADDR | --range T1..T2 | --finding N | --case)
      [--tag T]... [--note TEXT] [--include-in-report] [--json]
  flowcase annotate <case> --edit ID [--tag T]... [--note TEXT] [--include-in-report | --exclude-from-report]
  flowcase annotate <case> (--delete ID | --restore ID)
  flowcase annotations <case> [--filter EXPR] [--tag T] [--author A] [--kind K] [--text S] [--deleted] [--json]`;

const NS_PER_SEC = 1_000_000_000n;

/** A time on the command line: epoch seconds (up to 9 decimals) or ISO 8601 UTC with a Z. */
export function parseTimeArg(text: string): string {
  const sec = /^(\d{1,11})(?:\.(\d{1,9}))?$/.exec(text);
  if (sec) return String(BigInt(sec[1]) * NS_PER_SEC + BigInt((sec[2] ?? '').padEnd(9, '0')));
  const iso = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(text);
  if (iso) {
    const ms = Date.parse(`${iso[1]}Z`);
    if (Number.isFinite(ms) && ms >= 0) return String(BigInt(ms) * 1_000_000n + BigInt((iso[2] ?? '').padEnd(9, '0')));
  }
  throw new UsageError(`"${text}" is not a time: give epoch seconds (1700000000.25) or UTC ISO 8601 (2023-11-14T22:13:20.25Z)`);
}

function idArg(v: string | boolean | undefined, name: string): number {
  return intOption(v, name, 0, 1);
}

function targetFrom(a: ParsedArgs): AnnotationTarget {
  const o = a.options;
  const given = (['packet', 'flow', 'host', 'range', 'finding', 'case'] as const).filter((k) => o[k] !== undefined);
  if (given.length !== 1) throw new UsageError('annotate needs exactly one target: --packet N, --flow N, --host ADDR, --range T1..T2, --finding N or --case');
  switch (given[0]) {
    case 'packet': return { kind: 'packet', packetId: idArg(o.packet, '--packet') };
    case 'flow': return { kind: 'flow', flowId: idArg(o.flow, '--flow') };
    case 'finding': return { kind: 'finding', findingId: idArg(o.finding, '--finding') };
    case 'host': return { kind: 'host', addr: String(o.host) };
    case 'case': return { kind: 'case' };
    case 'range': {
      const parts = String(o.range).split('..');
      if (parts.length !== 2) throw new UsageError('--range takes T1..T2, e.g. 1700000000..1700000060.5');
      return { kind: 'range', startNs: parseTimeArg(parts[0]), endNs: parseTimeArg(parts[1]) };
    }
  }
}

function patchFrom(a: ParsedArgs): AnnotationPatch {
  const patch: AnnotationPatch = {};
  if (a.lists.tag) patch.tags = a.lists.tag.flatMap((t) => t.split(','));
  if (typeof a.options.note === 'string') patch.text = a.options.note;
  if (a.options.include) patch.includeInReport = true;
  if (a.options.exclude) patch.includeInReport = false;
  return patch;
}

function describe(verb: string, x: Annotation, db: CaseDb): string {
  const entry = readCustody(db).at(-1);
  const tags = x.tags.length ? ` [${x.tags.join(', ')}]` : '';
  return `annotation ${x.id} ${verb} on ${describeTarget(x.target)} by ${x.author}${tags} (version ${x.version}; custody entry #${entry?.seq ?? '?'})`;
}

function annotate(argv: string[]): number {
  const a = parseArgs(argv, {
    values: { packet: ['--packet'], flow: ['--flow'], host: ['--host'], range: ['--range'], finding: ['--finding'], note: ['--note', '-m'],
      edit: ['--edit'], delete: ['--delete'], restore: ['--restore'] },
    flags: { case: ['--case'], include: ['--include-in-report'], exclude: ['--exclude-from-report'], json: ['--json'] },
    lists: { tag: ['--tag', '-t'] },
  });
  if (a.positionals.length > 1) throw new UsageError(`annotate takes one case file (got ${a.positionals.length} arguments; quote the note)`);
  if (a.options.include && a.options.exclude) throw new UsageError('give --include-in-report or --exclude-from-report, not both');
  const db = openWritableCase(a.positionals[0]);
  try {
    let result: Annotation;
    let verb: string;
    const { edit, delete: del, restore } = a.options;
    if ([edit, del, restore].filter((x) => x !== undefined).length > 1) throw new UsageError('give one of --edit, --delete and --restore');
    if (edit !== undefined) {
      const id = idArg(edit, '--edit');
      const patch = patchFrom(a);
      if (Object.keys(patch).length === 0) throw new UsageError('--edit needs --note, --tag or a report switch');
      const before = getAnnotation(db, id);
      if (before?.source === 'capture-comment') {
        // The capture's own words are never altered: the analyst's version supersedes them.
        result = supersedeAnnotation(db, id, patch);
        verb = `added (superseding capture comment ${id})`;
      } else {
        result = editAnnotation(db, id, patch);
        verb = 'edited';
      }
    } else if (del !== undefined) {
      result = deleteAnnotation(db, idArg(del, '--delete'));
      verb = 'deleted (recoverable with --restore)';
    } else if (restore !== undefined) {
      result = restoreAnnotation(db, idArg(restore, '--restore'));
      verb = 'restored';
    } else {
      const patch = patchFrom(a);
      result = addAnnotation(db, { target: targetFrom(a), ...patch });
      verb = 'added';
    }
    if (a.options.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else process.stdout.write(safeText(describe(verb, result, db)) + '\n');
    return 0;
  } catch (err) {
    if (err instanceof AnnotationError) throw new CliInputError(err.message);
    throw err;
  } finally {
    db.close();
  }
}

const KINDS: readonly AnnotationTargetKind[] = ['packet', 'flow', 'host', 'range', 'finding', 'case'];

function annotations(argv: string[]): number {
  const a = parseArgs(argv, {
    values: { filter: ['--filter', '-Y'], tag: ['--tag'], author: ['--author'], kind: ['--kind'], text: ['--text'] },
    flags: { json: ['--json'], deleted: ['--deleted'] },
  });
  const kind = a.options.kind;
  if (kind !== undefined && !KINDS.includes(kind as AnnotationTargetKind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
  const db = openReadableCase(a.positionals[0]);
  try {
    const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);
    let list: Annotation[];
    try {
      list = listAnnotations(db, { filter: str(a.options.filter), tag: str(a.options.tag), author: str(a.options.author), kind: kind as AnnotationTargetKind | undefined, text: str(a.options.text), includeDeleted: !!a.options.deleted });
    } catch (err) {
      if (err instanceof FilterError) {
        process.stderr.write(`flowcase: invalid filter: ${err.message}\n  ${a.options.filter}\n  ${' '.repeat(err.position)}^\n`);
        return 2;
      }
      throw err;
    }
    if (a.options.json) { process.stdout.write(JSON.stringify(list, null, 2) + '\n'); return 0; }
    if (list.length === 0) { process.stdout.write('No annotations match\n'); return 0; }
    process.stdout.write(table(['Id', 'Target', 'Tags', 'Author', 'Updated', 'Source', 'Note'], list.map((x) => [
      x.id, describeTarget(x.target), x.tags.join(', ') || '-', x.author, x.updatedAt,
      `${x.source}${x.version > 1 ? ' (edited)' : ''}${x.deleted ? ' (deleted)' : ''}${x.supersededBy ? ` (superseded by ${x.supersededBy})` : ''}`,
      x.text.length > 200 ? `${x.text.slice(0, 199)}…` : x.text,
    ]), 40) + '\n');
    process.stdout.write(`${list.length} annotation(s)\n`);
    return 0;
  } finally {
    db.close();
  }
}

export const annotationCommands: Record<string, (argv: string[]) => Promise<number> | number> = { annotate, annotations };
