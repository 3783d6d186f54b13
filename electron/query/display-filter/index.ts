/**
 * Wireshark-style display filters compiled to parameterised SQL over `packets AS p`.
 * Pipeline: lexer.ts → parser.ts (tree) → compile-sql.ts, which looks fields up in fields.ts.
 */
import type { FilterCheck } from '../../model/filter-check';
import { compileNode, type CompileContext, type CompiledFilter } from './compile-sql';
import { FilterError } from './filter-error';
import { parseFilter } from './parser';

export { FilterError } from './filter-error';
export { FIELDS, type FieldDef, type FieldType } from './fields';
export { registerFilterFunctions } from './sql-functions';
export type { CompileContext, CompiledFilter, SqlParam } from './compile-sql';

/**
 * Compiles filter text. Throws FilterError for any mistake in the text. The SQL may call
 * `flowcase_matches`, so run it on a connection passed to registerFilterFunctions().
 */
export function compileFilter(text: string, ctx: CompileContext): CompiledFilter {
  if (text.trim() === '') return { sql: '1', params: [] };
  return compileNode(parseFilter(text), ctx);
}

/** For the filter bar: whether the text compiles, and where it goes wrong when not. */
export function checkFilter(text: string): FilterCheck {
  try {
    compileFilter(text, { firstTsNs: 0n });
    return { ok: true };
  } catch (e) {
    if (e instanceof FilterError) return { ok: false, error: { position: e.position, message: e.message } };
    throw e;
  }
}
