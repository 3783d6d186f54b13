/** Sorting and offset paging of the Conversations and Endpoints tables. */

export interface ListQuery {
  sort?: string;
  dir?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}
