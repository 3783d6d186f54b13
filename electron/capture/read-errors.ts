import type { ReadError } from './capture-record';

/**
 * Collects ReadErrors with a cap on the non-fatal ones, so that a file with a million damaged
 * blocks cannot grow the summary without bound.
 */
export class ReadErrorLog {
  readonly errors: ReadError[] = [];
  private dropped = 0;
  private droppedAt = 0;

  constructor(private readonly maxNotes = 100) {}

  note(offset: number, message: string): void {
    if (this.errors.length >= this.maxNotes) {
      if (this.dropped === 0) this.droppedAt = offset;
      this.dropped++;
      return;
    }
    this.errors.push({ offset, message, fatal: false });
  }

  fatal(offset: number, message: string): void {
    this.errors.push({ offset, message, fatal: true });
  }

  get hasFatal(): boolean {
    return this.errors.some((e) => e.fatal);
  }

  /** Call once at the end: says how many notes were left out. */
  finish(): ReadError[] {
    if (this.dropped > 0) {
      this.errors.push({
        offset: this.droppedAt,
        message: `${this.dropped} more problems from byte ${this.droppedAt} on were not listed`,
        fatal: false,
      });
      this.dropped = 0;
    }
    return this.errors;
  }
}
