/** Cell and header-label geometry of the three tables, for the e2e checks that nothing is drawn outside its box. */
import { expect, type Locator, type Page } from '@playwright/test';

export interface CellBox { text: string; title: string | null; left: number; right: number; clips: boolean; overflows: boolean; ellipsis: boolean }

/** The drawn boxes of every `data-cell` of the rows matched by `rows`. */
export async function cellBoxes(rows: Locator): Promise<CellBox[][]> {
  return rows.evaluateAll((els) => els.map((row) => [...row.querySelectorAll('[data-cell]')].map((c) => {
    const el = c as HTMLElement;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return {
      text: (el.textContent ?? '').trim(),
      title: el.getAttribute('title'),
      left: box.left,
      right: box.right,
      clips: style.overflowX === 'hidden' || style.overflowX === 'clip',
      overflows: el.scrollWidth > el.clientWidth + 1,
      ellipsis: style.textOverflow === 'ellipsis',
    };
  })));
}

/** No cell's text is drawn past its own box: cells do not overlap, and a cut cell clips with an ellipsis and a title with all of it. */
export function expectNoOverlap(rows: CellBox[][], what: string): number {
  let cut = 0;
  for (const cells of rows) {
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]!;
      const next = cells[i + 1];
      if (next) expect(c.right, `${what}: "${c.text}" ends after "${next.text}" begins`).toBeLessThanOrEqual(next.left + 0.5);
      if (c.overflows) {
        cut++;
        expect(c.clips && c.ellipsis, `${what}: "${c.text}" is wider than its cell and is not clipped with an ellipsis`).toBe(true);
        expect(c.title ?? '', `${what}: the cut cell "${c.text}" has no title with its full text`).toContain(c.text);
      }
    }
  }
  return cut;
}

/** Header labels (`data-col-label`: packet list and table headers) whose text does not fit their box (cut, not wrapped). */
export async function cutHeaderLabels(page: Page): Promise<string[]> {
  return page.locator('[data-col-label]').evaluateAll((els) => els
    .filter((el) => {
      const e = el as HTMLElement;
      return e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1;
    })
    .map((el) => (el.textContent ?? '').trim()));
}
