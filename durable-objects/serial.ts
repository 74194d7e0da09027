/**
 * Runs work one piece at a time, in arrival order. A Durable Object's input gate opens
 * while it awaits a provider or D1; this keeps two operations on one object from
 * interleaving there. A failed piece does not stop the ones after it.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
