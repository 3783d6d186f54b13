/**
 * The one error a display filter can raise. `position` is a 0-based character offset into the
 * filter text so the UI can put a caret under it; the message repeats it as a 1-based column
 * because that is what a person counts.
 */
export class FilterError extends Error {
  readonly position: number;
  readonly expected?: string;

  constructor(message: string, position: number, expected?: string) {
    super(`${message} at column ${position + 1}`);
    this.name = 'FilterError';
    this.position = position;
    if (expected !== undefined) this.expected = expected;
  }
}

/** Quote user text for an error message; long text is shortened so the message stays readable. */
export function quote(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return JSON.stringify(shown);
}
