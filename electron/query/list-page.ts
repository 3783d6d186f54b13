import type { ListQuery } from '../model/list-query';

/**
 * The sort column and the page a list query (conversations, endpoints) asks for. The column
 * comes from the table's fixed map, never from the query's text.
 */
export function listPage<K extends string>(q: ListQuery, columns: Readonly<Record<K, string>>, fallback: K): { column: string; limit: number; offset: number } {
  // Own keys only: `in` would also accept inherited names such as "constructor".
  const key = q.sort && Object.hasOwn(columns, q.sort) ? (q.sort as K) : fallback;
  return {
    column: columns[key],
    limit: Math.min(Math.max(q.limit ?? 200, 1), 1000),
    offset: Math.max(q.offset ?? 0, 0),
  };
}
