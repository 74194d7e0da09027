import { env } from "cloudflare:workers";
import { z } from "@hono/zod-openapi";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/platform/db/client";
import { okResponse } from "../../src/platform/envelope";
import { v1Route } from "../../src/platform/http/define";
import { deprecatedRoute } from "../../src/platform/middleware/deprecation";
import type { AppEnv } from "../../src/platform/types";
import { CURRENT_VERSION, FIRST_VERSION } from "../../src/platform/versions/registry";
import {
  partnersByVersion,
  USAGE_FLUSH_MS,
  VersionUsage,
  writeUsage,
} from "../../src/platform/versions/usage";
import { call, tokenFor } from "../support/http";
import { provisionPartner } from "../support/partners";

const db = createDb(env.DB);
const T0 = Date.parse("2026-12-02T10:00:00.000Z");

describe("version usage: counted per isolate, written at most once a minute", () => {
  it("the first call flushes at once, the next ones wait for the minute, then leave together", () => {
    const usage = new VersionUsage();
    expect(usage.record("a", CURRENT_VERSION, T0)).toEqual([
      {
        partnerId: "a",
        version: CURRENT_VERSION,
        calls: 1,
        firstSeenAt: "2026-12-02T10:00:00.000Z",
        lastSeenAt: "2026-12-02T10:00:00.000Z",
      },
    ]);
    for (let i = 1; i <= 50; i++) expect(usage.record("a", CURRENT_VERSION, T0 + i * 1000)).toBeUndefined();
    expect(usage.record("b", FIRST_VERSION, T0 + 55_000)).toBeUndefined();
    expect(usage.record("a", FIRST_VERSION, T0 + 56_000)).toBeUndefined();
    const due = usage.record("a", CURRENT_VERSION, T0 + USAGE_FLUSH_MS);
    expect(due).toEqual([
      {
        partnerId: "a",
        version: CURRENT_VERSION,
        calls: 51,
        firstSeenAt: "2026-12-02T10:00:01.000Z",
        lastSeenAt: "2026-12-02T10:01:00.000Z",
      },
      {
        partnerId: "b",
        version: FIRST_VERSION,
        calls: 1,
        firstSeenAt: "2026-12-02T10:00:55.000Z",
        lastSeenAt: "2026-12-02T10:00:55.000Z",
      },
      {
        partnerId: "a",
        version: FIRST_VERSION,
        calls: 1,
        firstSeenAt: "2026-12-02T10:00:56.000Z",
        lastSeenAt: "2026-12-02T10:00:56.000Z",
      },
    ]);
    // What could not be written comes back with the next flush.
    usage.restore(due ?? []);
    expect(
      usage
        .record("a", CURRENT_VERSION, T0 + 2 * USAGE_FLUSH_MS)
        ?.find((c) => c.partnerId === "a" && c.version === CURRENT_VERSION)?.calls,
    ).toBe(52);
  });

  it("writes add up per partner and version; partnersByVersion answers who calls what", async () => {
    const a = crypto.randomUUID();
    const b = crypto.randomUUID();
    const at = (s: number) => new Date(T0 + s * 1000).toISOString();
    await writeUsage(db, [
      { partnerId: a, version: FIRST_VERSION, calls: 3, firstSeenAt: at(0), lastSeenAt: at(10) },
      { partnerId: b, version: FIRST_VERSION, calls: 1, firstSeenAt: at(5), lastSeenAt: at(5) },
      { partnerId: a, version: CURRENT_VERSION, calls: 7, firstSeenAt: at(1), lastSeenAt: at(20) },
    ]);
    // Another isolate's flush, a little out of order: calls add, first seen stays the earliest.
    await writeUsage(db, [
      { partnerId: a, version: FIRST_VERSION, calls: 2, firstSeenAt: at(2), lastSeenAt: at(30) },
      { partnerId: b, version: FIRST_VERSION, calls: 4, firstSeenAt: at(1), lastSeenAt: at(4) },
    ]);
    const mine = (rows: Awaited<ReturnType<typeof partnersByVersion>>) =>
      rows.filter((r) => r.partner_id === a || r.partner_id === b);
    expect(mine(await partnersByVersion(db, { version: FIRST_VERSION }))).toEqual([
      { partner_id: a, version: FIRST_VERSION, calls: 5, first_seen_at: at(0), last_seen_at: at(30) },
      { partner_id: b, version: FIRST_VERSION, calls: 5, first_seen_at: at(1), last_seen_at: at(5) },
    ]);
    const all = mine(await partnersByVersion(db));
    expect(all.map((r) => [r.partner_id, r.version, r.calls])).toEqual([
      [a, FIRST_VERSION, 5],
      [b, FIRST_VERSION, 5],
      [a, CURRENT_VERSION, 7],
    ]);
  });

  it("a request is counted: a partner calling the old version shows up under it", async () => {
    const p = await provisionPartner({ apiVersion: FIRST_VERSION });
    const token = await tokenFor(p);
    // The isolate flushes at most once a minute: call until this partner's pair has been written.
    const deadline = Date.now() + USAGE_FLUSH_MS + 15_000;
    let rows = await partnersByVersion(db, { version: FIRST_VERSION });
    while (!rows.some((r) => r.partner_id === p.id) && Date.now() < deadline) {
      await call("GET", "/v1/partner", { token });
      await new Promise((r) => setTimeout(r, 500));
      rows = await partnersByVersion(db, { version: FIRST_VERSION });
    }
    const row = rows.find((r) => r.partner_id === p.id);
    expect(row?.calls).toBeGreaterThanOrEqual(1);
    expect(
      (await partnersByVersion(db, { version: CURRENT_VERSION })).some((r) => r.partner_id === p.id),
    ).toBe(false);
  }, 90_000);
});

describe("a single deprecated route", () => {
  it("carries the same headers at every version, and its operation says deprecated", async () => {
    const app = new Hono<AppEnv>();
    app.get("/old", deprecatedRoute({ since: "2026-12-01", sunset: "2027-03-01" }, "route-GET-old"), (c) =>
      c.text("ok"),
    );
    const res = await app.request("http://portico.test/old");
    expect(res.headers.get("Deprecation")).toBe(`@${Date.parse("2026-12-01T00:00:00Z") / 1000}`);
    expect(res.headers.get("Sunset")).toBe("Mon, 01 Mar 2027 00:00:00 GMT");
    expect(res.headers.get("Link")).toBe('<http://portico.test/changelog#route-GET-old>; rel="deprecation"');

    const route = v1Route(
      { product: null, scope: "partner:read", deprecated: { since: "2026-12-01" } },
      {
        method: "get",
        path: "/v1/old",
        operationId: "old",
        responses: okResponse("old", z.object({})),
      },
    );
    expect(route.deprecated).toBe(true);
    const current = v1Route(
      { product: null, scope: "partner:read" },
      { method: "get", path: "/v1/old", operationId: "old", responses: okResponse("old", z.object({})) },
    );
    expect(current.deprecated).toBeUndefined();
    // The deprecated route runs the same chain with the deprecation headers in front.
    expect(route.middleware).toHaveLength((current.middleware as unknown[]).length + 1);
  });

  it("a deprecated route at a deprecated version announces the earlier dates and links to both", async () => {
    const app = new Hono<AppEnv>();
    app.get(
      "/both",
      deprecatedRoute({ since: "2026-12-01", sunset: "2027-06-01" }, "2026-06-01"),
      deprecatedRoute({ since: "2027-01-01", sunset: "2027-03-01" }, "route-GET-both"),
      (c) => c.text("ok"),
    );
    const res = await app.request("http://portico.test/both");
    expect(res.headers.get("Deprecation")).toBe(`@${Date.parse("2026-12-01T00:00:00Z") / 1000}`);
    expect(res.headers.get("Sunset")).toBe("Mon, 01 Mar 2027 00:00:00 GMT");
    expect(res.headers.get("Link")).toBe(
      '<http://portico.test/changelog#2026-06-01>; rel="deprecation", <http://portico.test/changelog#route-GET-both>; rel="deprecation"',
    );
  });
});
