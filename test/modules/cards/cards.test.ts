import { env } from "cloudflare:workers";
import { OpenAPIHono } from "@hono/zod-openapi";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../../src/app";
import { cardsModule } from "../../../src/modules/cards";
import { createApplication } from "../../../src/modules/cards/applications";
import { confirmAttach } from "../../../src/modules/cards/attach";
import { luhnValid } from "../../../src/modules/cards/connector/pan";
import {
  SANDBOX_CARD_NUMBERS,
  SANDBOX_PHONE_SMS_FAILS,
  SANDBOX_SMS_CODE,
  SandboxCardSystem,
} from "../../../src/modules/cards/connector/sandbox";
import type { CardDeps } from "../../../src/modules/cards/deps";
import { claimAttachment } from "../../../src/modules/cards/storage";
import { loadProfile } from "../../../src/modules/partners/profile";
import { loadConfig } from "../../../src/platform/env";
import { uuidv7 } from "../../../src/platform/lib/ids";
import type { AppEnv } from "../../../src/platform/types";
import { call, fetchWithEnv, tokenFor } from "../../support/http";
import { openApi31Validator } from "../../support/openapi-validator";
import { db, provisionPartner, type TestPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";

function freshPan(): string {
  for (;;) {
    const body = `8600${Array.from(crypto.getRandomValues(new Uint8Array(11)), (b) => b % 10).join("")}`;
    for (let d = 0; d < 10; d++) if (luhnValid(`${body}${d}`)) return `${body}${d}`;
  }
}

const applicant = {
  full_name: "Dilnoza Yusupova",
  phone_number: "+998935550147",
  birth_date: "1988-11-02",
  document_number: "AC7654321",
};
const virtual = { type: "virtual", currency: "UZS", applicant };
const physical = {
  type: "physical",
  currency: "EUR",
  applicant: { ...applicant, address: "Samarkand, Registan 5" },
};
const PHONE = "+998901112233";

const order = async (token: string, params: Record<string, unknown> = virtual) =>
  (await call("POST", "/v1/cards/applications", { token, json: { params } })).body.result;
const ownedCard = async (_owner: TestPartner, token: string) => (await order(token)).card.id;

// The security suite calls one fixed path; before its entitled call, the partner's own
// object is given the fixed id (an unknown application is 1000 as the bank's contract says,
// so these routes prove "another partner's id is like an unknown one" in cards-applications).
const FIXED = { completed: uuidv7(), inProgress: uuidv7(), attachment: uuidv7() };
async function renameApplication(realId: string, fixedId: string) {
  await env.DB.batch([
    env.DB.prepare("DELETE FROM cards WHERE application_id = ?").bind(fixedId),
    env.DB.prepare("DELETE FROM card_applications WHERE id = ?").bind(fixedId),
    env.DB.prepare("UPDATE card_applications SET id = ? WHERE id = ?").bind(fixedId, realId),
    env.DB.prepare("UPDATE cards SET application_id = ? WHERE application_id = ?").bind(fixedId, realId),
  ]);
}
async function renameAttachment(realId: string, fixedId: string) {
  await env.DB.batch([
    env.DB.prepare("DELETE FROM card_attachments WHERE id = ?").bind(fixedId),
    env.DB.prepare("UPDATE card_attachments SET id = ? WHERE id = ?").bind(fixedId, realId),
  ]);
}

securitySuite({
  method: "POST",
  path: "/v1/cards/applications",
  product: "cards",
  scope: "cards:write",
  json: { params: virtual },
});
securitySuite({
  method: "GET",
  path: `/v1/cards/applications/${FIXED.completed}`,
  product: "cards",
  scope: "cards:read",
  prepare: async (p) => renameApplication((await order(await tokenFor(p))).id, FIXED.completed),
});
securitySuite({
  method: "POST",
  path: `/v1/sandbox/cards/applications/${FIXED.inProgress}/simulate`,
  product: "cards",
  scope: "cards:write",
  prepare: async (p) => renameApplication((await order(await tokenFor(p), physical)).id, FIXED.inProgress),
});
securitySuite({
  method: "POST",
  path: "/v1/cards/attach",
  product: "cards",
  scope: "cards:write",
  json: { params: { card_number: freshPan(), phone_number: PHONE } },
});
securitySuite({
  method: "POST",
  path: "/v1/cards/attach/confirm",
  product: "cards",
  scope: "cards:write",
  json: { params: { attachment_id: FIXED.attachment, code: SANDBOX_SMS_CODE } },
  prepare: async (p) => {
    const token = await tokenFor(p);
    const params = { card_number: freshPan(), phone_number: PHONE };
    const attachment = (await call("POST", "/v1/cards/attach", { token, json: { params } })).body.result;
    await renameAttachment(attachment.id, FIXED.attachment);
  },
});
securitySuite({ method: "GET", path: "/v1/cards", product: "cards", scope: "cards:read" });
securitySuite({
  method: "GET",
  path: "/v1/cards/{id}",
  product: "cards",
  scope: "cards:read",
  createOwned: ownedCard,
});
securitySuite({
  method: "POST",
  path: "/v1/cards/{id}/block",
  product: "cards",
  scope: "cards:write",
  createOwned: ownedCard,
});

afterEach(() => {
  vi.useRealTimers();
});

describe("GET /v1/cards, GET /v1/cards/{id}", () => {
  it("lists the partner's own cards, newest first, by status, a page at a time", async () => {
    const p = await provisionPartner({ dataAccess: ["name", "phone", "card_details"] });
    const token = await tokenFor(p);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await order(token)).card.id);
    const other = await provisionPartner();
    await order(await tokenFor(other));

    const all = (await call("GET", "/v1/cards", { token })).body.result;
    expect(all.data.map((c: { id: string }) => c.id)).toEqual([...ids].reverse());
    expect(all.has_more).toBe(false);
    const page1 = (await call("GET", "/v1/cards?limit=2", { token })).body.result;
    expect(page1.data.map((c: { id: string }) => c.id)).toEqual([ids[2], ids[1]]);
    expect(page1.has_more).toBe(true);
    const page2 = (await call("GET", `/v1/cards?limit=2&starting_after=${ids[1]}`, { token })).body.result;
    expect(page2.data.map((c: { id: string }) => c.id)).toEqual([ids[0]]);
    expect(page2.has_more).toBe(false);

    await call("POST", `/v1/cards/${ids[1]}/block`, { token });
    const blocked = (await call("GET", "/v1/cards?status=blocked", { token })).body.result;
    expect(blocked.data.map((c: { id: string }) => c.id)).toEqual([ids[1]]);
    const active = (await call("GET", "/v1/cards?status=active", { token })).body.result;
    expect(active.data.map((c: { id: string }) => c.id)).toEqual([ids[2], ids[0]]);

    for (const bad of ["status=lost", "limit=0", "limit=101", "starting_after=nope"]) {
      const r = await call("GET", `/v1/cards?${bad}`, { token });
      expect(r.res.status, bad).toBe(400);
      expect(r.body.error.code, bad).toBe(4);
    }
    const notUuid = await call("GET", "/v1/cards/card_1", { token });
    expect(notUuid.body.error).toMatchObject({ code: 4, field: "id" });
    const wrongMethod = await call("DELETE", `/v1/cards/${ids[0]}`, { token });
    expect(wrongMethod.res.status).toBe(405);
    expect(wrongMethod.body.error.code).toBe(5);
  });
});

describe("POST /v1/cards/{id}/block", () => {
  it("blocks at the card system and here, once: card.blocked; blocking again is 409 (60)", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const card = (await order(token)).card;
    const blockAtBank = vi.spyOn(SandboxCardSystem.prototype, "block");
    const blocked = await call("POST", `/v1/cards/${card.id}/block`, {
      token,
      json: { params: { reason: "stolen" } },
    });
    expect(blockAtBank).toHaveBeenCalledTimes(1);
    blockAtBank.mockRestore();
    expect(blocked.res.status).toBe(200);
    expect(blocked.body.result).toMatchObject({ id: card.id, status: "blocked", block_reason: "stolen" });
    expect(blocked.body.result.blocked_at).not.toBeNull();

    const again = await call("POST", `/v1/cards/${card.id}/block`, { token });
    expect(again.res.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 60,
      message: "Cannot block a card whose status is blocked",
    });
    expect((await call("GET", `/v1/cards/${card.id}`, { token })).body.result).toEqual(blocked.body.result);

    const events = (
      await env.DB.prepare("SELECT type FROM events WHERE partner_id = ? AND type LIKE 'card.%'")
        .bind(p.id)
        .all<{ type: string }>()
    ).results;
    expect(events.map((e) => e.type)).toEqual(["card.blocked"]);

    const other = (await order(token)).card;
    const defaulted = await call("POST", `/v1/cards/${other.id}/block`, { token });
    expect(defaulted.body.result.block_reason).toBe("requested_by_customer");
    const third = (await order(token)).card;
    for (const [params, code] of [
      [{ reason: "bored" }, 4],
      [{ reason: 7 }, 3],
    ] as const) {
      const r = await call("POST", `/v1/cards/${third.id}/block`, { token, json: { params } });
      expect(r.res.status).toBe(400);
      expect(r.body.error).toMatchObject({ code, field: "params.reason" });
    }
    expect((await call("GET", `/v1/cards/${third.id}`, { token })).body.result.status).toBe("active");
  });
});

describe("data minimisation and audit", () => {
  it("masks personal fields unless licensed; reads and writes are audited without the data", async () => {
    const masked = await provisionPartner({ dataAccess: [] });
    const token = await tokenFor(masked);
    const app = (
      await call("POST", "/v1/cards/applications", {
        token,
        json: { params: virtual },
        headers: { "X-Request-Id": "req-card-order-1" },
      })
    ).body.result;
    expect(app.applicant).toEqual({
      full_name: "***",
      phone_number: `${"*".repeat(11)}47`,
      birth_date: "***",
      document_number: "***",
      address: null,
    });
    expect(app.card).toMatchObject({
      holder_name: "***",
      expiry_month: null,
      expiry_year: null,
      phone_number: `${"*".repeat(11)}47`,
    });
    expect(app.card.first6).toMatch(/^\d{6}$/);
    const got = (await call("GET", `/v1/cards/${app.card.id}`, { token })).body.result;
    expect(got.holder_name).toBe("***");
    const attachment = (
      await call("POST", "/v1/cards/attach", {
        token,
        json: { params: { card_number: freshPan(), phone_number: PHONE } },
      })
    ).body.result;
    expect(attachment.phone_number).toBe(`${"*".repeat(11)}33`);

    const licensed = await provisionPartner({
      dataAccess: ["name", "phone", "documents", "birth_date", "card_details"],
    });
    const open = (
      await call("POST", "/v1/cards/applications", {
        token: await tokenFor(licensed),
        json: { params: virtual },
      })
    ).body.result;
    expect(open.applicant).toMatchObject(applicant);
    expect(open.card).toMatchObject({
      holder_name: "DILNOZA YUSUPOVA",
      phone_number: applicant.phone_number,
    });
    expect(open.card.expiry_year).toBeGreaterThan(2025);

    await call("POST", `/v1/cards/${app.card.id}/block`, { token });
    const rows = (
      await env.DB.prepare("SELECT * FROM audit_log WHERE partner_id = ? ORDER BY id").bind(masked.id).all()
    ).results as {
      action: string;
      resource: string | null;
      outcome: number;
      personal_data: number;
      request_id: string;
    }[];
    expect(rows.map((r) => [r.action, r.resource, r.outcome, r.personal_data])).toEqual([
      ["POST /v1/cards/applications", null, 200, 1],
      ["GET /v1/cards/{id}", app.card.id, 200, 1],
      ["POST /v1/cards/attach", null, 200, 1],
      ["POST /v1/cards/{id}/block", app.card.id, 200, 1],
    ]);
    expect(rows[0]?.request_id).toBe("req-card-order-1");
    const text = JSON.stringify(rows);
    for (const value of [...Object.values(applicant), "DILNOZA", PHONE]) expect(text).not.toContain(value);
  });
});

describe("the full card number", () => {
  it("is never stored, answered, published or logged: only its first 6 and last 4 digits", async () => {
    const p = await provisionPartner({ dataAccess: ["name", "phone", "card_details"] });
    const token = await tokenFor(p);
    const pan = freshPan();
    const lines: string[] = [];
    const capture = (...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    };
    const spies = [
      vi.spyOn(console, "log").mockImplementation(capture),
      vi.spyOn(console, "warn").mockImplementation(capture),
      vi.spyOn(console, "error").mockImplementation(capture),
    ];
    const answers: string[] = [];
    const send = async (path: string, params: Record<string, unknown>) => {
      const r = await fetchWithEnv(createApp(), { LOG_LEVEL: "debug" }, path, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${token}`,
          "Content-Type": "application/json",
          "Idempotency-Key": crypto.randomUUID(),
        },
        body: JSON.stringify({ params }),
      });
      answers.push(JSON.stringify(r.body));
      return r.body;
    };
    await send("/v1/cards/attach", { card_number: pan, phone_number: SANDBOX_PHONE_SMS_FAILS });
    await send("/v1/cards/attach", {
      card_number: `${pan.slice(0, 15)}${(Number(pan.slice(-1)) + 1) % 10}`,
      phone_number: PHONE,
    });
    await send("/v1/cards/attach", { card_number: SANDBOX_CARD_NUMBERS.unknown, phone_number: PHONE });
    const attachment = (await send("/v1/cards/attach", { card_number: pan, phone_number: PHONE })).result;
    await send("/v1/cards/attach", { card_number: pan, phone_number: PHONE }); // 1007
    await send("/v1/cards/attach/confirm", { attachment_id: attachment.id, code: "999999" });
    const card = (
      await send("/v1/cards/attach/confirm", { attachment_id: attachment.id, code: SANDBOX_SMS_CODE })
    ).result;
    await send(`/v1/cards/${card.id}/block`, { reason: "lost" });
    for (const s of spies) s.mockRestore();
    expect(card).toMatchObject({ first6: pan.slice(0, 6), last4: pan.slice(-4), status: "active" });

    // Every table of the database, every row, as text.
    const tables = (
      await env.DB.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
      ).all<{
        name: string;
      }>()
    ).results.map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining(["cards", "card_attachments", "card_applications", "events", "audit_log"]),
    );
    let dump = "";
    for (const name of tables)
      dump += JSON.stringify((await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results);
    const everything = [dump, answers.join("\n"), lines.join("\n")];
    expect(lines.length).toBeGreaterThan(5);
    // What is kept and answered names the card by its first 6 and last 4 digits…
    expect(dump).toContain(pan.slice(-4));
    expect(answers.join("\n")).toContain(`"first6":"${pan.slice(0, 6)}"`);
    for (const text of everything) {
      // …and never by more: not the full number, nor any run of it longer than first 6 or last 4.
      for (const fragment of [pan, pan.slice(0, 12), pan.slice(-10), SANDBOX_CARD_NUMBERS.unknown]) {
        expect(text).not.toContain(fragment);
      }
    }
  });
});

describe("crash recovery: a retry under the same Idempotency-Key resumes", () => {
  const deps = (): CardDeps => ({
    db,
    events: env.EVENTS_QUEUE,
    config: loadConfig(env),
    system: new SandboxCardSystem(),
  });

  it("an application stored but never sent to the card system is ordered by the retry", async () => {
    const p = await provisionPartner();
    const partner = await loadProfile(db, p.id);
    if (!partner) throw new Error("no partner");
    const key = crypto.randomUUID();
    const orderCard = vi
      .spyOn(SandboxCardSystem.prototype, "orderCard")
      .mockRejectedValueOnce(new Error("crash"));
    const params = {
      type: "virtual" as const,
      currency: "UZS" as const,
      applicant: { ...applicant, address: null },
      metadata: {},
    };
    await expect(createApplication(deps(), partner, key, params)).rejects.toThrow("crash");
    const resumed = await createApplication(deps(), partner, key, params);
    expect(orderCard).toHaveBeenCalledTimes(2);
    orderCard.mockRestore();
    expect(resumed.status).toBe("completed");
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM card_applications WHERE partner_id = ?")
      .bind(p.id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(1);
  });

  it("a confirm that claimed the attachment and died before the card was written finishes it", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const partner = await loadProfile(db, p.id);
    if (!partner) throw new Error("no partner");
    const params = { card_number: freshPan(), phone_number: PHONE };
    const attachment = (await call("POST", "/v1/cards/attach", { token, json: { params } })).body.result;
    const key = crypto.randomUUID();
    await claimAttachment(db, attachment.id, { key, now: new Date().toISOString() });
    const card = await confirmAttach(deps(), partner, key, {
      attachment_id: attachment.id,
      code: SANDBOX_SMS_CODE,
    });
    expect(card).toMatchObject({ origin: "attached", status: "active", last4: params.card_number.slice(-4) });
    const events = await env.DB.prepare(
      "SELECT count(*) AS n FROM events WHERE partner_id = ? AND type = 'card.attached'",
    )
      .bind(p.id)
      .first<{ n: number }>();
    expect(events?.n).toBe(1);
    // The same retry again publishes the same event, stored once.
    await confirmAttach(deps(), partner, key, { attachment_id: attachment.id, code: SANDBOX_SMS_CODE });
    const again = await env.DB.prepare(
      "SELECT count(*) AS n FROM events WHERE partner_id = ? AND type = 'card.attached'",
    )
      .bind(p.id)
      .first<{ n: number }>();
    expect(again?.n).toBe(1);
  });
});

describe("kill switch", () => {
  it("cards switched off answer 503, code 22, and order nothing", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const off = await fetchWithEnv(createApp(), { PRODUCTS_DISABLED: "cards" }, "/v1/cards/applications", {
      method: "POST",
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
        "Idempotency-Key": "k-1",
      },
      body: JSON.stringify({ params: virtual }),
    });
    expect(off.res.status).toBe(503);
    expect(off.body.error).toMatchObject({ code: 22, retryable: true });
    const list = await fetchWithEnv(createApp(), { PRODUCTS_DISABLED: "cards" }, "/v1/cards", {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(list.body.error.code).toBe(22);
    const count = await env.DB.prepare("SELECT count(*) AS n FROM card_applications WHERE partner_id = ?")
      .bind(p.id)
      .first<{ n: number }>();
    expect(count?.n).toBe(0);
  });
});

describe("OpenAPI", () => {
  it("documents every card route with its scope, as a valid OpenAPI 3.1 document", async () => {
    const app = new OpenAPIHono<AppEnv>();
    cardsModule.register(app);
    const doc = app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "cards", version: "1" } });
    // A plain JSON object, as served at /openapi.json.
    const result = await openApi31Validator().validate(JSON.parse(JSON.stringify(doc)));
    expect(result.errors ?? []).toEqual([]);
    const scopes = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { security?: { oauth2: string[] }[] }>).map(
        ([method, op]) => `${method.toUpperCase()} ${path} ${op.security?.[0]?.oauth2.join(",")}`,
      ),
    );
    expect(scopes.sort()).toEqual([
      "GET /v1/cards cards:read",
      "GET /v1/cards/applications/{id} cards:read",
      "GET /v1/cards/{id} cards:read",
      "POST /v1/cards/applications cards:write",
      "POST /v1/cards/attach cards:write",
      "POST /v1/cards/attach/confirm cards:write",
      "POST /v1/cards/{id}/block cards:write",
      "POST /v1/sandbox/cards/applications/{id}/simulate cards:write",
    ]);
  });
});
