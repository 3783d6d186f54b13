import type Database from 'better-sqlite3';

/** An open case file: one better-sqlite3 connection (opened by open-case.ts). */
export type CaseDb = Database.Database;
