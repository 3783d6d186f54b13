/** The File › Open Recent list, kept as JSON in the userData folder (newest first, at most 10). */
import fs from 'node:fs';
import path from 'node:path';

const MAX_RECENT = 10;

export class RecentCases {
  constructor(private readonly file: string) {}

  list(): string[] {
    try {
      const v: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && fs.existsSync(x)).slice(0, MAX_RECENT) : [];
    } catch {
      return [];
    }
  }

  add(casePath: string): string[] {
    const next = [casePath, ...this.list().filter((p) => p !== casePath)].slice(0, MAX_RECENT);
    this.save(next);
    return next;
  }

  clear(): void {
    this.save([]);
  }

  private save(list: string[]): void {
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(this.file, JSON.stringify(list, null, 1));
    } catch { /* a recent list is a convenience; never fail an open over it */ }
  }
}
