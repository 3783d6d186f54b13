/**
 * Only the newest of overlapping requests may write state: a slow reply to an older one (an
 * earlier sort, time window or packet) that lands after a newer request started is dropped.
 */
export class LatestRequest {
  private gen = 0;

  /**
   * Starts `request`; `apply` gets its value and `fail` its error, each only while no newer
   * request has started. Resolves true when this request was still the newest once it settled.
   */
  async run<T>(request: () => Promise<T>, apply: (value: T) => void, fail: (err: unknown) => void): Promise<boolean> {
    const g = ++this.gen;
    try {
      const value = await request();
      if (g === this.gen) apply(value);
    } catch (e) {
      if (g === this.gen) fail(e);
    }
    return g === this.gen;
  }

  /** Drops the reply of any request still in flight. */
  cancel(): void {
    this.gen++;
  }
}
