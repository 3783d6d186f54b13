/** The result of checking a display filter: ok, or the error and where it is. */

export interface FilterCheck {
  ok: boolean;
  error?: { position: number; message: string };
}
