import { TrieRouter } from "hono/router/trie-router";
import { describe, expect, it } from "vitest";
import { CachedRouter } from "../../src/platform/http/cached-router";

// The app serves every other test through it (src/app.ts).
describe("CachedRouter", () => {
  it("answers as the router it wraps, for static and parameter paths, first time and again", () => {
    const plain = new TrieRouter<string>();
    const cached = new CachedRouter(new TrieRouter<string>());
    const routes: Array<[string, string, string]> = [
      ["ALL", "/v1/*", "auth"],
      ["GET", "/v1/cards", "list"],
      ["GET", "/v1/cards/applications/:id", "application"],
      ["GET", "/v1/cards/:id", "card"],
      ["POST", "/v1/cards/:id/block", "block"],
    ];
    for (const [m, p, h] of routes) {
      plain.add(m, p, h);
      cached.add(m, p, h);
    }
    const probes: Array<[string, string]> = [
      ["GET", "/v1/cards"],
      ["GET", "/v1/cards/applications/a1"],
      ["GET", "/v1/cards/c1"],
      ["GET", "/v1/cards/c2"],
      ["POST", "/v1/cards/c1/block"],
      ["DELETE", "/v1/cards/c1"],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [m, p] of probes) expect(cached.match(m, p)).toEqual(plain.match(m, p));
    }
    expect(cached.size).toBe(probes.length);
  });

  it("keeps at most 512 answers, the oldest going first", () => {
    const cached = new CachedRouter(new TrieRouter<string>());
    cached.add("GET", "/v1/payments/:id", "payment");
    for (let i = 0; i < 600; i++) cached.match("GET", `/v1/payments/p${i}`);
    expect(cached.size).toBe(512);
    const [[[, params]] = [[]]] = cached.match("GET", "/v1/payments/p599") as unknown as [
      [[string, Record<string, string>]],
    ];
    expect(params).toEqual({ id: "p599" });
  });
});
