/** A small, strict argument parser: unknown options are usage errors (exit 2), never ignored. */
export class UsageError extends Error {}

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | boolean>;
  /** Repeatable options (OptionSpec.lists), in the order given. */
  lists: Record<string, string[]>;
}

export interface OptionSpec {
  /** Options that take a value, with their aliases: { output: ['-o', '--output'] }. */
  values?: Record<string, string[]>;
  /** Boolean flags: { json: ['--json'] }. */
  flags?: Record<string, string[]>;
  /** Options that take a value and may be repeated: { tag: ['--tag', '-t'] }. */
  lists?: Record<string, string[]>;
}

export function parseArgs(argv: string[], spec: OptionSpec): ParsedArgs {
  const out: ParsedArgs = { positionals: [], options: {}, lists: {} };
  const valueOf = new Map<string, string>();
  const flagOf = new Map<string, string>();
  for (const [name, aliases] of Object.entries(spec.values ?? {})) for (const a of aliases) valueOf.set(a, name);
  for (const [name, aliases] of Object.entries(spec.flags ?? {})) for (const a of aliases) flagOf.set(a, name);
  const listOf = new Map<string, string>();
  for (const [name, aliases] of Object.entries(spec.lists ?? {})) for (const a of aliases) listOf.set(a, name);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') { out.positionals.push(...argv.slice(i + 1)); break; }
    if (arg.startsWith('-') && arg !== '-') {
      const eq = arg.indexOf('=');
      const key = eq > 0 ? arg.slice(0, eq) : arg;
      if (listOf.has(key)) {
        const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
        if (v === undefined) throw new UsageError(`option ${key} needs a value`);
        (out.lists[listOf.get(key)!] ??= []).push(v);
      } else if (valueOf.has(key)) {
        const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
        if (v === undefined) throw new UsageError(`option ${key} needs a value`);
        out.options[valueOf.get(key)!] = v;
      } else if (flagOf.has(key) && eq < 0) {
        out.options[flagOf.get(key)!] = true;
      } else {
        throw new UsageError(`unknown option ${key}`);
      }
    } else {
      out.positionals.push(arg);
    }
  }
  return out;
}

export function intOption(v: string | boolean | undefined, name: string, dflt: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new UsageError(`${name} takes a whole number, got "${String(v)}"`);
  const n = Number(v);
  if (n < min || n > max) throw new UsageError(`${name} must be between ${min} and ${max}`);
  return n;
}
