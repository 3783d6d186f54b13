/** Sorting, keyset paging, quick search and scope of the Conversations and Endpoints tables. */
import type { NsString } from './time';

export interface ListQuery {
  sort?: string;
  dir?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
  /** Keyset paging: the `cursor` of the previous page (sort column value and key of its last row). */
  cursor?: string;
  /** Quick search: addresses, names, ports, service, state (case-insensitive). */
  search?: string;
  /** The scope the table aggregates over, as in PacketQuery; absent = the whole case. */
  filter?: string;
  from?: NsString;
  to?: NsString;
  findingId?: number;
}
