import { describe, expect, it } from "vitest";
import { CircuitBreaker, HttpUpstream, MAX_UPSTREAM_ANSWER_BYTES } from "../../src/platform/upstream";
import { refusal } from "../support/upstream";
import { receiver } from "../support/webhooks";

// The HTTP connector every product uses, against a real local HTTP server.

function upstream(url: string, breaker = new CircuitBreaker(3, 60_000)) {
  return new HttpUpstream(
    { system: "test", baseUrl: url, retries: 2, backoffMs: 10, timeoutMs: 500 },
    breaker,
  );
}

describe("HttpUpstream", () => {
  it("returns the parsed answer, with the bearer token and JSON body sent", async () => {
    const server = receiver();
    await server.script({ body: '{"status":"ok","n":1}' });
    const answer = await new HttpUpstream({ system: "test", baseUrl: server.url, token: "t0ken" }).call(
      "POST",
      "",
      {
        a: 1,
      },
    );
    expect(answer).toEqual({ status: "ok", n: 1 });
    const [seen] = await server.received();
    expect(seen?.headers.authorization).toBe("Bearer t0ken");
    expect(JSON.parse(seen?.body ?? "")).toEqual({ a: 1 });
  });

  it("retries retryable failures (503, 429) with backoff and succeeds", async () => {
    const server = receiver();
    await server.script({ fail: 2, status: 503, body: '{"ok":true}' });
    expect(await upstream(server.url).call("GET", "")).toEqual({ ok: true });
    expect((await server.received()).map((r) => r.answered)).toEqual([503, 503, 200]);
  });

  it("a client error is not retried: 1005 with the upstream's status, never its body", async () => {
    const server = receiver();
    await server.script({ fail: 5, status: 400 });
    const err = await refusal(upstream(server.url).call("POST", "", {}));
    expect([err.code, err.status]).toEqual([1005, 502]);
    expect(err.message).toContain("Response code: 400");
    expect(err.message).not.toContain("scripted failure");
    expect((await server.received()).length).toBe(1);
  });

  it("an empty or null answer is 1004", async () => {
    for (const body of ["", "null", "  "]) {
      const server = receiver();
      await server.script({ body });
      expect((await refusal(upstream(server.url).call("GET", ""))).code).toBe(1004);
    }
  });

  it("an answer over the size limit is 1005, not retried, its content never echoed", async () => {
    const server = receiver();
    const big = JSON.stringify({ secret: "do-not-echo", pad: "x".repeat(MAX_UPSTREAM_ANSWER_BYTES) });
    await server.script({ body: big });
    const err = await refusal(upstream(server.url).call("GET", ""));
    expect([err.code, err.status]).toEqual([1005, 502]);
    expect(err.message).toContain("answer too large");
    expect(err.message).not.toContain("do-not-echo");
    expect((await server.received()).length).toBe(1);
    const small = receiver();
    await small.script({ body: '{"a":"0123456789"}' });
    const limited = new HttpUpstream({ system: "test", baseUrl: small.url, maxAnswerBytes: 16 });
    expect((await refusal(limited.call("GET", ""))).message).toContain("answer too large");
    const roomy = new HttpUpstream({ system: "test", baseUrl: small.url, maxAnswerBytes: 18 });
    expect(await roomy.call("GET", "")).toEqual({ a: "0123456789" });
  });

  it("a timeout is retried, then 1005", async () => {
    const server = receiver();
    await server.script({ delayMs: 2000 });
    const err = await refusal(upstream(server.url).call("GET", ""));
    expect(err.code).toBe(1005);
    expect(err.message).toContain("timeout");
  });

  it("three failed calls open the breaker: the next answers 91 at once, without a request", async () => {
    const server = receiver();
    await server.script({ fail: 100, status: 500 });
    const breaker = new CircuitBreaker(3, 60_000);
    for (let i = 0; i < 3; i++)
      expect((await refusal(upstream(server.url, breaker).call("GET", ""))).code).toBe(1005);
    const sent = (await server.received()).length;
    const open = await refusal(upstream(server.url, breaker).call("GET", ""));
    expect([open.code, open.status]).toEqual([91, 503]);
    expect(Number(open.headers["Retry-After"])).toBeGreaterThan(0);
    expect((await server.received()).length).toBe(sent);
  });

  it("a half-open trial that succeeds closes the breaker", async () => {
    const breaker = new CircuitBreaker(1, 60_000);
    breaker.failure(Date.now() - 61_000);
    const server = receiver();
    await server.script({ body: "{}" });
    expect(await upstream(server.url, breaker).call("GET", "")).toEqual({});
    expect(breaker.waitMs()).toBe(0);
  });
});
