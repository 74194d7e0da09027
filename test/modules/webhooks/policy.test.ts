import { describe, expect, it } from "vitest";
import { type AttemptResult, decide, parseRetryAfter } from "../../../src/modules/webhooks/policy";

const DELAYS = [5, 300, 1800, 7200, 18_000, 36_000, 36_000];
const NOW = Date.parse("2026-11-23T12:00:00Z");
const response = (status: number, retryAfter: string | null = null): AttemptResult => ({
  kind: "response",
  status,
  retryAfter,
});

describe("delivery decisions (docs/webhooks.md)", () => {
  it.each([200, 201, 202, 204, 299])("%i succeeds", (status) => {
    expect(decide(response(status), 1, DELAYS, NOW)).toEqual({ kind: "succeeded" });
  });

  it.each([301, 302, 307, 308, 400, 401, 404, 409, 500])("%i is retried on the schedule", (status) => {
    expect(decide(response(status), 1, DELAYS, NOW)).toEqual({ kind: "retry", delaySeconds: 5 });
    expect(decide(response(status), 3, DELAYS, NOW)).toEqual({ kind: "retry", delaySeconds: 1800 });
  });

  it("walks the default schedule 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then gives up", () => {
    const delays = DELAYS.map((_, i) => decide(response(500), i + 1, DELAYS, NOW));
    expect(delays.map((d) => (d.kind === "retry" ? d.delaySeconds : d.kind))).toEqual(DELAYS);
    expect(decide(response(500), 8, DELAYS, NOW)).toEqual({ kind: "give_up" });
  });

  it("410 Gone disables the endpoint at once", () => {
    expect(decide(response(410), 1, DELAYS, NOW)).toEqual({ kind: "disable_endpoint" });
  });

  it.each([429, 502, 503, 504])("%i honours Retry-After (seconds or an HTTP date)", (status) => {
    expect(decide(response(status, "120"), 1, DELAYS, NOW)).toEqual({ kind: "retry", delaySeconds: 120 });
    const date = new Date(NOW + 90_000).toUTCString();
    expect(decide(response(status, date), 1, DELAYS, NOW)).toEqual({ kind: "retry", delaySeconds: 90 });
    expect(decide(response(status, "soon"), 1, DELAYS, NOW)).toEqual({ kind: "retry", delaySeconds: 5 });
    expect(decide(response(status, "999999"), 1, DELAYS, NOW)).toEqual({
      kind: "retry",
      delaySeconds: 43_200,
    });
  });

  it("500 ignores Retry-After; the last attempt gives up whatever it says", () => {
    expect(decide(response(500, "120"), 1, DELAYS, NOW)).toEqual({ kind: "retry", delaySeconds: 5 });
    expect(decide(response(503, "1"), 8, DELAYS, NOW)).toEqual({ kind: "give_up" });
  });

  it("timeouts and network errors are retried; a refused URL is final", () => {
    expect(decide({ kind: "error", error: "timeout" }, 2, DELAYS, NOW)).toEqual({
      kind: "retry",
      delaySeconds: 300,
    });
    expect(decide({ kind: "error", error: "network" }, 1, DELAYS, NOW)).toEqual({
      kind: "retry",
      delaySeconds: 5,
    });
    expect(decide({ kind: "error", error: "url_refused" }, 1, DELAYS, NOW)).toEqual({ kind: "give_up" });
  });

  it("parses Retry-After strictly", () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter(" 7 ", NOW)).toBe(7);
    expect(parseRetryAfter("-5", NOW)).toBeUndefined();
    expect(parseRetryAfter(new Date(NOW - 5000).toUTCString(), NOW)).toBe(0);
  });
});
