import { env } from "cloudflare:workers";
import { Redis } from "@upstash/redis/cloudflare";
import { describe, expect, it } from "vitest";

// The bridge (test/node/upstash-bridge.ts) stands in for Upstash; these tests drive it from inside
// workerd with the same client the gateway uses.

function client(opts: { token?: string; responseEncoding?: false } = {}): Redis {
  return new Redis({
    url: env.TEST_UPSTASH_URL,
    token: opts.token ?? env.TEST_UPSTASH_TOKEN,
    retry: false,
    enableTelemetry: false,
    ...(opts.responseEncoding === false ? { responseEncoding: false } : {}),
  });
}

function keyPrefix(): string {
  return `test:bridge:${crypto.randomUUID()}:`;
}

function rawPost(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${env.TEST_UPSTASH_URL}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${env.TEST_UPSTASH_TOKEN}`, ...headers },
    body: JSON.stringify(body),
  });
}

function utf8Base64(value: string): string {
  return btoa(Array.from(new TextEncoder().encode(value), (byte) => String.fromCharCode(byte)).join(""));
}

describe("Upstash REST bridge, from workerd", () => {
  it("round-trips single commands", async () => {
    const redis = client();
    const k = keyPrefix();
    expect(await redis.set(`${k}greeting`, "hello", { ex: 60 })).toBe("OK");
    expect(await redis.get(`${k}greeting`)).toBe("hello");
    expect(await redis.ttl(`${k}greeting`)).toBeGreaterThan(50);
    expect(await redis.incr(`${k}counter`)).toBe(1);
    expect(await redis.incrby(`${k}counter`, 41)).toBe(42);
    expect(await redis.mget(`${k}greeting`, `${k}missing`)).toEqual(["hello", null]);
  });

  it("carries a per-command pipeline error back without failing the other commands", async () => {
    const redis = client();
    const k = keyPrefix();
    const results = await redis
      .pipeline()
      .set(`${k}text`, "not a number")
      .incr(`${k}text`)
      .incr(`${k}counter`)
      .get(`${k}text`)
      .exec({ keepErrors: true });
    expect(results).toHaveLength(4);
    expect(results[0]).toEqual({ result: "OK", error: undefined });
    expect(results[1]?.error).toBe("ERR value is not an integer or out of range");
    expect(results[2]).toEqual({ result: 1, error: undefined });
    expect(results[3]).toEqual({ result: "not a number", error: undefined });
    // Without keepErrors the client reports which command failed.
    await expect(redis.pipeline().incr(`${k}text`).exec()).rejects.toThrow(/Command 1 \[ incr \] failed/);

    const raw = await rawPost("/pipeline", [
      ["INCR", `${k}text`],
      ["GET", `${k}counter`],
    ]);
    expect(raw.status).toBe(200);
    expect(await raw.json()).toEqual([
      { error: "ERR value is not an integer or out of range" },
      { result: "1" },
    ]);
  });

  it("runs multi-exec transactions atomically", async () => {
    const redis = client();
    const k = keyPrefix();
    // Concurrent transactions of two INCRs each: no other INCR may land between a pair.
    const pairs = await Promise.all(
      Array.from({ length: 20 }, () => redis.multi().incr(`${k}n`).incr(`${k}n`).exec()),
    );
    for (const [first, second] of pairs) {
      expect(first % 2).toBe(1);
      expect(second).toBe(first + 1);
    }
    expect(pairs.map(([first]) => first).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => 2 * i + 1),
    );

    // A command that fails to queue aborts the whole transaction: the SET before it is not applied.
    const aborted = await rawPost("/multi-exec", [
      ["SET", `${k}applied`, "yes"],
      ["SET", `${k}broken`],
    ]);
    expect(aborted.status).toBe(400);
    expect(await aborted.json()).toEqual({ error: "ERR wrong number of arguments for 'set' command" });
    expect(await redis.get(`${k}applied`)).toBeNull();

    // A runtime error inside EXEC stays local to its command, as in Redis.
    const results = await redis
      .multi()
      .set(`${k}s`, "x")
      .incr(`${k}s`)
      .get(`${k}s`)
      .exec({ keepErrors: true });
    expect(results.map((r) => r.error)).toEqual([
      undefined,
      "ERR value is not an integer or out of range",
      undefined,
    ]);
    expect(results[2]?.result).toBe("x");
  });

  it("base64-encodes strings when asked, so unicode round-trips", async () => {
    const k = keyPrefix();
    const value = "héllo ✓ 日本語 🚀";
    const redis = client();
    expect(await redis.set(`${k}u`, value)).toBe("OK");
    expect(await redis.get(`${k}u`)).toBe(value);
    expect(await client({ responseEncoding: false }).get(`${k}u`)).toBe(value);
    await redis.rpush(`${k}list`, value, "plain");

    const encoded = await rawPost("", ["GET", `${k}u`], { "Upstash-Encoding": "base64" });
    expect(await encoded.json()).toEqual({ result: utf8Base64(value) });
    // Recursively inside arrays; integers and nulls are left alone.
    const pipeline = await rawPost(
      "/pipeline",
      [
        ["LRANGE", `${k}list`, 0, -1],
        ["LLEN", `${k}list`],
        ["GET", `${k}missing`],
      ],
      { "Upstash-Encoding": "base64" },
    );
    expect(await pipeline.json()).toEqual([
      { result: [utf8Base64(value), utf8Base64("plain")] },
      { result: 2 },
      { result: null },
    ]);
    const plain = await rawPost("", ["GET", `${k}u`]);
    expect(await plain.json()).toEqual({ result: value });
  });

  it("refuses requests without the bearer token", async () => {
    const k = keyPrefix();
    await expect(client({ token: "wrong-token" }).get(`${k}x`)).rejects.toThrow(/Unauthorized/);

    const anonymous = await fetch(env.TEST_UPSTASH_URL, { method: "POST", body: JSON.stringify(["PING"]) });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toBe("application/json");
    expect(await anonymous.json()).toEqual({ error: "Unauthorized" });
  });
});
