import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, tokenFor } from "../../support/http";
import type { TestPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";
import { always, riskPartner, rows } from "./support";

const blockAll = { name: "block all", conditions: [always], action: "block" };

const ownedRule = async (_o: TestPartner, token: string) =>
  (await call("POST", "/v1/risk/rules", { token, json: { params: blockAll } })).body.result.id;
const ownedEntry = async (_o: TestPartner, token: string) =>
  (
    await call("POST", "/v1/risk/lists", {
      token,
      json: { params: { list: "block", type: "bin", value: "411111" } },
    })
  ).body.result.id;

const read = { product: "payments", scope: "payments:read" } as const;
const write = { product: "payments", scope: "payments:write" } as const;
securitySuite({ method: "GET", path: "/v1/risk/rules", ...read });
securitySuite({ method: "POST", path: "/v1/risk/rules", ...write, json: { params: blockAll } });
securitySuite({ method: "GET", path: "/v1/risk/rules/{id}", ...read, createOwned: ownedRule });
securitySuite({
  method: "PATCH",
  path: "/v1/risk/rules/{id}",
  ...write,
  json: { params: { mode: "dry_run" } },
  createOwned: ownedRule,
});
securitySuite({ method: "DELETE", path: "/v1/risk/rules/{id}", ...write, createOwned: ownedRule });
securitySuite({ method: "GET", path: "/v1/risk/lists", ...read });
securitySuite({
  method: "POST",
  path: "/v1/risk/lists",
  ...write,
  json: { params: { list: "allow", type: "country", value: "UZ" } },
});
securitySuite({ method: "DELETE", path: "/v1/risk/lists/{id}", ...write, createOwned: ownedEntry });
securitySuite({ method: "GET", path: "/v1/risk/settings", ...read });
securitySuite({
  method: "POST",
  path: "/v1/risk/settings",
  ...write,
  json: { params: { scoring_fallback: "pass" } },
});
securitySuite({ method: "GET", path: "/v1/risk/audit", ...read });

describe("risk rules: the API", () => {
  it("creates, lists in order, reads, updates and deletes rules; each change is audited with before and after", async () => {
    const s = await riskPartner();
    const second = await s.rule({ ...blockAll, name: "second", position: 20 });
    const first = await s.rule({
      name: "first",
      position: 5,
      conditions: [{ field: "currency", op: "in", values: ["UZS"] }],
      action: "hold",
      mode: "dry_run",
    });
    const last = await s.rule({ ...blockAll, name: "last" });
    expect(first).toMatchObject({
      object: "risk_rule",
      name: "first",
      position: 5,
      action: "hold",
      mode: "dry_run",
    });
    expect(second.mode).toBe("active");
    expect(last.position).toBe(30);

    const listed = await call("GET", "/v1/risk/rules", { token: s.token });
    expect(listed.body.result.data.map((r: { name: string }) => r.name)).toEqual(["first", "second", "last"]);
    expect((await call("GET", `/v1/risk/rules/${first.id}`, { token: s.token })).body.result).toEqual(first);

    const patched = await call("PATCH", `/v1/risk/rules/${last.id}`, {
      token: s.token,
      json: { params: { position: 1, mode: "dry_run" } },
    });
    expect(patched.res.status).toBe(200);
    expect(patched.body.result).toMatchObject({
      id: last.id,
      position: 1,
      mode: "dry_run",
      name: "last",
      action: "block",
    });
    const reordered = await call("GET", "/v1/risk/rules", { token: s.token });
    expect(reordered.body.result.data.map((r: { name: string }) => r.name)).toEqual([
      "last",
      "first",
      "second",
    ]);

    const deleted = await call("DELETE", `/v1/risk/rules/${second.id}`, { token: s.token });
    expect(deleted.body.result).toEqual({ id: second.id, object: "risk_rule", deleted: true });
    expect((await call("GET", `/v1/risk/rules/${second.id}`, { token: s.token })).res.status).toBe(404);
    expect((await call("DELETE", `/v1/risk/rules/${second.id}`, { token: s.token })).res.status).toBe(404);

    const audit = await call("GET", "/v1/risk/audit?limit=100", { token: s.token });
    const entries = audit.body.result.data;
    expect(entries.map((e: { action: string }) => e.action)).toEqual([
      "risk_rule.deleted",
      "risk_rule.updated",
      "risk_rule.created",
      "risk_rule.created",
      "risk_rule.created",
    ]);
    const [del, upd] = entries;
    expect(del).toMatchObject({ target: second.id, before: { id: second.id, name: "second" }, after: null });
    expect(upd).toMatchObject({
      target: last.id,
      before: { position: 30, mode: "active" },
      after: { position: 1, mode: "dry_run" },
    });
    expect(entries[4]).toMatchObject({ target: second.id, before: null, after: second });
    expect(entries.every((e: { client_id: string; request_id: string }) => e.client_id && e.request_id)).toBe(
      true,
    );
    const stored = await rows("SELECT count(*) AS n FROM risk_audit WHERE partner_id = ?", s.p.id);
    expect(stored).toEqual([{ n: 5 }]);
  });

  it("refuses invalid rules and changes nothing (and audits nothing)", async () => {
    const s = await riskPartner();
    const bad: [unknown, number][] = [
      [{ ...blockAll, action: "maybe" }, 4],
      [{ ...blockAll, mode: "shadow" }, 4],
      [{ ...blockAll, conditions: [] }, 4],
      [{ ...blockAll, conditions: [{ field: "amount", op: "gt" }] }, 4],
      [{ ...blockAll, conditions: [{ field: "amount", op: "gt", value: "5" }] }, 4],
      [{ ...blockAll, conditions: [{ field: "planet", op: "in", values: ["mars"] }] }, 4],
      [{ ...blockAll, conditions: [{ field: "client.ip", op: "in_cidr", values: ["10.0.0.1/8"] }] }, 4],
      [{ ...blockAll, conditions: [{ field: "client.ip", op: "in_cidr", values: ["not-an-ip"] }] }, 4],
      [{ ...blockAll, conditions: [{ field: "card.bin", op: "prefix", values: ["42x"] }] }, 4],
      [{ ...blockAll, conditions: [{ field: "card.bin", op: "between", from: "4300", to: "42" }] }, 4],
      [{ ...blockAll, conditions: [{ field: "card.country", op: "in", values: ["usa"] }] }, 4],
      [
        {
          ...blockAll,
          conditions: [
            { field: "velocity", subject: "card", measure: "count", window_minutes: 0, op: "gt", value: 1 },
          ],
        },
        4,
      ],
      [
        {
          ...blockAll,
          conditions: [
            {
              field: "velocity",
              subject: "device",
              measure: "count",
              window_minutes: 60,
              op: "gt",
              value: 1,
            },
          ],
        },
        4,
      ],
      [{ ...blockAll, conditions: [{ field: "score", op: "gt", value: 101 }] }, 4],
      [{ ...blockAll, conditions: [{ field: "amount", op: "gt", value: 1, currency: "XXX" }] }, 4],
      [{ ...blockAll, extra: true }, 4],
      [{ ...blockAll, name: "" }, 4],
      [{ conditions: [always], action: "block" }, 4],
    ];
    for (const [params, code] of bad) {
      const r = await call("POST", "/v1/risk/rules", { token: s.token, json: { params } });
      expect(r.res.status, JSON.stringify(params)).toBe(400);
      expect([3, 4], JSON.stringify(params)).toContain(r.body.error.code);
      expect(code).toBe(4);
    }
    const rule = await s.rule(blockAll);
    const empty = await call("PATCH", `/v1/risk/rules/${rule.id}`, { token: s.token, json: { params: {} } });
    expect(empty.res.status).toBe(400);
    const wrong = await call("PATCH", `/v1/risk/rules/not-a-uuid`, {
      token: s.token,
      json: { params: { name: "x" } },
    });
    expect(wrong.res.status).toBe(400);
    expect(
      (await call("PUT", `/v1/risk/rules/${rule.id}`, { token: s.token, json: { params: {} } })).res.status,
    ).toBe(405);
    expect((await call("GET", "/v1/risk/rules", { token: s.token })).body.result.data).toHaveLength(1);
    expect(await rows("SELECT action FROM risk_audit WHERE partner_id = ?", s.p.id)).toEqual([
      { action: "risk_rule.created" },
    ]);
  });

  it("another partner's rule is unknown to read, update and delete; its rules stay as they were", async () => {
    const owner = await riskPartner();
    const rule = await owner.rule(blockAll);
    const other = await riskPartner();
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const r = await call(method, `/v1/risk/rules/${rule.id}`, {
        token: other.token,
        ...(method === "PATCH" ? { json: { params: { name: "mine" } } } : {}),
      });
      expect([r.res.status, r.body.error.code]).toEqual([404, 30]);
    }
    expect((await call("GET", `/v1/risk/rules/${rule.id}`, { token: owner.token })).body.result).toEqual(
      rule,
    );
    expect((await call("GET", "/v1/risk/rules", { token: other.token })).body.result.data).toEqual([]);
  });
});

describe("risk lists and settings: the API", () => {
  it("adds entries in canonical form, once per value, filters them, removes them; audited", async () => {
    const s = await riskPartner();
    const ip = await s.listEntry({ list: "block", type: "ip", value: "2001:DB8:0:0::/32" });
    expect(ip).toMatchObject({
      object: "risk_list_entry",
      list: "block",
      type: "ip",
      value: "2001:db8::/32",
    });
    const again = await s.listEntry({ list: "block", type: "ip", value: "2001:db8::/32" });
    expect(again.id).toBe(ip.id);
    const bin = await s.listEntry({ list: "allow", type: "bin", value: "424242" });
    await s.listEntry({ list: "watch", type: "asn", value: "64500" });
    const blocks = await call("GET", "/v1/risk/lists?list=block", { token: s.token });
    expect(blocks.body.result.data).toEqual([ip]);
    const bins = await call("GET", "/v1/risk/lists?type=bin", { token: s.token });
    expect(bins.body.result.data).toEqual([bin]);
    const other = await riskPartner();
    expect((await call("DELETE", `/v1/risk/lists/${ip.id}`, { token: other.token })).res.status).toBe(404);
    const removed = await call("DELETE", `/v1/risk/lists/${ip.id}`, { token: s.token });
    expect(removed.body.result).toEqual({ id: ip.id, object: "risk_list_entry", deleted: true });
    const all = await call("GET", "/v1/risk/lists", { token: s.token });
    expect(all.body.result.data).toHaveLength(2);
    const audit = (await call("GET", "/v1/risk/audit", { token: s.token })).body.result.data;
    expect(audit.map((e: { action: string }) => e.action)).toEqual([
      "risk_list_entry.deleted",
      "risk_list_entry.created",
      "risk_list_entry.created",
      "risk_list_entry.created",
    ]);
  });

  it("refuses malformed entries per type", async () => {
    const s = await riskPartner();
    for (const params of [
      { list: "block", type: "ip", value: "10.0.0.1/8" },
      { list: "block", type: "ip", value: "300.1.1.1" },
      { list: "block", type: "bin", value: "42-42" },
      { list: "block", type: "country", value: "uz" },
      { list: "block", type: "asn", value: "AS64500" },
      { list: "grey", type: "asn", value: "64500" },
      { list: "block", type: "email", value: "a@b.c" },
      { list: "block", type: "bin" },
    ]) {
      const r = await call("POST", "/v1/risk/lists", { token: s.token, json: { params } });
      expect(r.res.status, JSON.stringify(params)).toBe(400);
    }
    expect((await call("GET", "/v1/risk/lists", { token: s.token })).body.result.data).toEqual([]);
  });

  it("settings default to 300 ms and hold; a change is kept and audited", async () => {
    const s = await riskPartner();
    const before = await call("GET", "/v1/risk/settings", { token: s.token });
    expect(before.body.result).toEqual({
      object: "risk_settings",
      scoring_timeout_ms: 300,
      scoring_fallback: "hold",
      updated_at: null,
    });
    const changed = await call("POST", "/v1/risk/settings", {
      token: s.token,
      json: { params: { scoring_fallback: "pass" } },
    });
    expect(changed.body.result).toMatchObject({ scoring_timeout_ms: 300, scoring_fallback: "pass" });
    expect((await call("GET", "/v1/risk/settings", { token: s.token })).body.result).toEqual(
      changed.body.result,
    );
    for (const params of [
      { scoring_fallback: "step_up" },
      { scoring_timeout_ms: 0 },
      { scoring_timeout_ms: 60_000 },
    ]) {
      const r = await call("POST", "/v1/risk/settings", { token: s.token, json: { params } });
      expect(r.res.status, JSON.stringify(params)).toBe(400);
    }
    const [entry] = (await call("GET", "/v1/risk/audit", { token: s.token })).body.result.data;
    expect(entry).toMatchObject({
      action: "risk_settings.updated",
      before: { scoring_fallback: "hold" },
      after: { scoring_fallback: "pass" },
    });
  });

  it("at most 100 rules: the 101st is refused with code 192", async () => {
    const s = await riskPartner();
    const now = new Date().toISOString();
    const insert = env.DB.prepare(
      "INSERT INTO risk_rules (id, partner_id, name, position, conditions, action, mode, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'block', 'dry_run', ?, ?)",
    );
    await env.DB.batch(
      Array.from({ length: 100 }, (_, i) =>
        insert.bind(crypto.randomUUID(), s.p.id, `r${i}`, i, JSON.stringify([always]), now, now),
      ),
    );
    const r = await call("POST", "/v1/risk/rules", {
      token: await tokenFor(s.p),
      json: { params: blockAll },
    });
    expect([r.res.status, r.body.error.code]).toEqual([409, 192]);
  });
});
