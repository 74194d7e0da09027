import { ApiError } from "../../src/platform/errors";
import { CircuitBreaker, HttpUpstream } from "../../src/platform/upstream";

/** An HTTP upstream for connector tests: fast retries, a short timeout, its own breaker (opens after 3). */
export const testUpstream = (system: string, url: string, breaker = new CircuitBreaker(3, 60_000)) =>
  new HttpUpstream({ system, baseUrl: `${url}/`, retries: 2, backoffMs: 10, timeoutMs: 1000 }, breaker);

/** The catalogue error a call was refused with (fails the test when it was not refused). */
export async function refusal(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error("no refusal");
}
