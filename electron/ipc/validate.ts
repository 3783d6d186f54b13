/**
 * The argument checks the channel table (channels.ts) is built from. The renderer is the threat
 * model (a page showing attacker-controlled packet text), so nothing it sends reaches a query
 * unchecked: types, ranges and string lengths are enforced here and unknown keys are refused
 * rather than ignored, so a typo in the UI fails loudly instead of silently dropping a filter.
 * `where` is the channel name (or the field inside it), so every message says where it failed.
 */
import { ApiFailure } from './api-failure';

export type Check<T> = (value: unknown, where: string) => T;
type Shape = Record<string, Check<unknown>>;
type Out<S extends Shape> = { [K in keyof S]: S[K] extends Check<infer T> ? T : never };

/** Limits shared with the UI: a filter longer than this is not something a person typed. */
export const LIMITS = {
  filterChars: 4096,
  pathChars: 4096,
  importPaths: 64,
  pageRows: 5000,
  listRows: 1000,
  listOffset: 10_000_000,
  timelineBuckets: 2000,
} as const;

export function fail(where: string, message: string): never {
  throw new ApiFailure('bad-argument', `${where} ${message}`);
}

export function describe(v: unknown): string {
  if (typeof v === 'string') return v.length > 40 ? `a string of ${v.length} characters` : JSON.stringify(v);
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : String(v);
}

export function str(o: { min?: number; max: number; pattern?: RegExp; what?: string }): Check<string> {
  return (v, where) => {
    if (typeof v !== 'string') fail(where, `must be a string (got ${describe(v)})`);
    const min = o.min ?? 0;
    if (v.length < min) fail(where, min === 1 ? 'must not be empty' : `must have at least ${min} characters`);
    if (v.length > o.max) fail(where, `is too long (${v.length} characters; the limit is ${o.max})`);
    if (v.includes('\0')) fail(where, 'must not contain NUL characters');
    if (o.pattern && !o.pattern.test(v)) fail(where, `must be ${o.what ?? `a string matching ${o.pattern}`} (got ${describe(v)})`);
    return v;
  };
}

export function int(min: number, max: number): Check<number> {
  return (v, where) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) fail(where, `must be an integer (got ${describe(v)})`);
    if (v < min || v > max) fail(where, `must be between ${min} and ${max} (got ${v})`);
    return v;
  };
}

export function oneOf<T extends string>(...values: readonly T[]): Check<T> {
  return (v, where) => {
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      fail(where, `must be one of ${values.map((x) => `'${x}'`).join(', ')} (got ${describe(v)})`);
    }
    return v as T;
  };
}

export function arrayOf<T>(item: Check<T>, min: number, max: number): Check<T[]> {
  return (v, where) => {
    if (!Array.isArray(v)) fail(where, `must be an array (got ${describe(v)})`);
    if (v.length < min) fail(where, `must have at least ${min} item${min === 1 ? '' : 's'}`);
    if (v.length > max) fail(where, `has too many items (${v.length}; the limit is ${max})`);
    return v.map((x, i) => item(x, `${where}[${i}]`));
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** An object with required and optional keys; any other key is an error. */
export function object<R extends Shape, O extends Shape>(required: R, optional: O): Check<Out<R> & Partial<Out<O>>> {
  const allowed = [...Object.keys(required), ...Object.keys(optional)];
  return (v, channel) => {
    if (!isPlainObject(v)) fail(`${channel}:`, `arguments must be an object (got ${describe(v)})`);
    for (const key of Object.keys(v)) {
      if (!allowed.includes(key)) {
        const shown = key.length > 40 ? `${key.slice(0, 37)}...` : key;
        fail(`${channel}:`, `unknown argument '${shown}'${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ' (this channel takes none)'}`);
      }
    }
    const out: Record<string, unknown> = {};
    for (const [key, check] of Object.entries(required)) {
      if (v[key] === undefined) fail(`${channel}:`, `argument '${key}' is required`);
      out[key] = check(v[key], `${channel}: '${key}'`);
    }
    for (const [key, check] of Object.entries(optional)) {
      if (v[key] !== undefined) out[key] = check(v[key], `${channel}: '${key}'`);
    }
    return out as Out<R> & Partial<Out<O>>;
  };
}

const INT64_MAX = 9223372036854775807n;
/** Nanoseconds since the epoch as a decimal string, within SQLite's INTEGER range. */
export const nsString: Check<string> = (v, where) => {
  const s = str({ min: 1, max: 19, pattern: /^\d+$/, what: 'nanoseconds since the epoch as a decimal string' })(v, where);
  if (BigInt(s) > INT64_MAX) fail(where, 'is beyond the largest timestamp a case can hold');
  return s;
};

export const id = int(1, Number.MAX_SAFE_INTEGER);
export const path = str({ min: 1, max: LIMITS.pathChars });

export const packetQueryShape = {
  filter: str({ max: LIMITS.filterChars }),
  from: nsString,
  to: nsString,
  findingId: id,
  after: int(0, Number.MAX_SAFE_INTEGER),
  before: id,
  limit: int(1, LIMITS.pageRows),
};

/** Cross-field rules the shape cannot express. */
export function packetQuery<T extends { from?: string; to?: string; after?: number; before?: number }>(check: Check<T>): Check<T> {
  return (v, channel) => {
    const q = check(v, channel);
    if (q.after !== undefined && q.before !== undefined) fail(`${channel}:`, "give either 'after' or 'before', not both");
    if (q.from !== undefined && q.to !== undefined && BigInt(q.from) > BigInt(q.to)) fail(`${channel}:`, "'from' must not be later than 'to'");
    return q;
  };
}

export function listQuery<K extends string>(sortKeys: readonly K[]) {
  return object({}, {
    sort: oneOf(...sortKeys),
    dir: oneOf('asc', 'desc'),
    limit: int(1, LIMITS.listRows),
    offset: int(0, LIMITS.listOffset),
    cursor: str({ max: 4096 }),
    search: str({ max: 256 }),
    filter: str({ max: LIMITS.filterChars }),
    from: nsString,
    to: nsString,
    findingId: id,
  });
}

export const timeRange = <T extends { from?: string; to?: string }>(check: Check<T>): Check<T> => (v, channel) => {
  const q = check(v, channel);
  if (q.from !== undefined && q.to !== undefined && BigInt(q.from) > BigInt(q.to)) fail(`${channel}:`, "'from' must not be later than 'to'");
  return q;
};
