export class DeadlineExceeded extends Error {
  override name = "DeadlineExceeded";
}

/** Resolves with `work`, or rejects with DeadlineExceeded after `ms`; the timer never outlives the race. */
export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(`deadline of ${ms} ms exceeded`)), ms);
  });
  // The abandoned work may still reject after the deadline: that rejection is expected, not unhandled.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, timeout]);
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
}
