import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { SANDBOX_KYC_HOLDER, SANDBOX_KYC_PHONES } from "../../src/modules/kyc/connector/sandbox";
import { buildPartner, type NewPartner } from "../../src/modules/partners/provisioning";
import {
  CURRENT_VERSION,
  FIRST_VERSION,
  VERSION_DATES,
  VERSIONS,
} from "../../src/platform/versions/registry";
import { chainFor, downgradeValue } from "../../src/platform/versions/transform";
import { BASE, call, tokenFor } from "../support/http";
import { provisionPartner } from "../support/partners";
import { createEndpoint, receiver, until } from "../support/webhooks";

const OLD = FIRST_VERSION;
const CURRENT = CURRENT_VERSION;

async function setup(apiVersion?: string) {
  const p = await provisionPartner(apiVersion ? { apiVersion } : {});
  return { p, token: await tokenFor(p) };
}

const verify = (token: string, params: Record<string, unknown>, headers: Record<string, string> = {}) =>
  call("POST", "/v1/kyc/verifications", { token, json: { params }, headers });

const byPhone = (field: "phone" | "phone_number") => ({
  [field]: SANDBOX_KYC_PHONES.holder,
  full_name: SANDBOX_KYC_HOLDER.full_name,
});

const verifications = async (partnerId: string) =>
  (
    await env.DB.prepare("SELECT id, identifier_type FROM kyc_verifications WHERE partner_id = ?")
      .bind(partnerId)
      .all<{ id: string; identifier_type: string }>()
  ).results;

const seconds = (date: string) => Date.parse(`${date}T00:00:00Z`) / 1000;

describe("the registry", () => {
  it("has dated versions oldest first; the older one is deprecated with a sunset, the current one is not", () => {
    expect(VERSION_DATES).toEqual(["2026-06-01", "2026-12-01"]);
    for (const d of VERSION_DATES) expect(d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(CURRENT).toBe("2026-12-01");
    expect(VERSIONS[0]?.deprecation).toEqual({ since: "2026-12-01", sunset: "2027-06-01" });
    expect(VERSIONS[1]?.deprecation).toBeUndefined();
    expect(VERSIONS[1]?.changes.map((c) => c.name)).toEqual(["kyc-phone-number"]);
  });

  it("the chain downgrades nested objects of the types it names, copying only what changes", () => {
    const chain = chainFor(OLD);
    const kyc = { id: "k", object: "kyc_verification", identifier_type: "phone_number" };
    const other = { id: "p", object: "payment", identifier_type: "phone_number" };
    const value = { data: [kyc, other], event: { object: "event", data: { object: kyc } } };
    const down = downgradeValue(chain, value) as typeof value;
    expect(down.data[0]).toEqual({ ...kyc, identifier_type: "phone" });
    expect(down.data[1]).toBe(other);
    expect(down.event.data.object.identifier_type).toBe("phone");
    expect(kyc.identifier_type).toBe("phone_number"); // the input is never mutated
    // At the current version there is nothing to do: the very same value comes back.
    expect(chainFor(CURRENT).empty).toBe(true);
    expect(downgradeValue(chainFor(CURRENT), value)).toBe(value);
  });
});

describe("the partner's pin", () => {
  it("a new partner is pinned to the current version: stored on its contract and shown by GET /v1/partner", async () => {
    const { p, token } = await setup();
    const row = await env.DB.prepare("SELECT api_version FROM partner_contracts WHERE partner_id = ?")
      .bind(p.id)
      .first<{ api_version: string }>();
    expect(row?.api_version).toBe(CURRENT);
    const r = await call("GET", "/v1/partner", { token });
    expect(r.body.result.api_version).toBe(CURRENT);
    expect(r.res.headers.get("Portico-Version")).toBe(CURRENT);
  });

  it("provisioning may pin a published version; an unknown one is refused", async () => {
    const base: NewPartner = { name: "x", environment: "sandbox", tier: "sandbox", products: [] };
    expect((await buildPartner({ ...base, apiVersion: OLD })).rows.contract.apiVersion).toBe(OLD);
    await expect(buildPartner({ ...base, apiVersion: "2025-01-01" })).rejects.toThrow(/unknown API version/);
  });

  it("a contract written before versions had dates reads the first version (the column's default)", async () => {
    const column = await env.DB.prepare(
      "SELECT dflt_value FROM pragma_table_info('partner_contracts') WHERE name = 'api_version'",
    ).first<{ dflt_value: string }>();
    expect(column?.dflt_value).toBe(`'${FIRST_VERSION}'`);
  });
});

describe("Portico-Version: override and echo", () => {
  it("overrides the pin for one request; the pin itself does not move", async () => {
    const { token } = await setup(OLD);
    const pinned = await call("GET", "/v1/partner", { token });
    expect(pinned.res.headers.get("Portico-Version")).toBe(OLD);
    expect(pinned.body.result.api_version).toBe(OLD);
    const over = await call("GET", "/v1/partner", { token, headers: { "Portico-Version": CURRENT } });
    expect(over.res.headers.get("Portico-Version")).toBe(CURRENT);
    expect(over.body.result.api_version).toBe(OLD);
  });

  it("error answers echo the version too: before the partner is known and after", async () => {
    const anonymous = await call("GET", "/v1/partner");
    expect(anonymous.res.status).toBe(401);
    expect(anonymous.res.headers.get("Portico-Version")).toBe(CURRENT);
    const askedOld = await call("GET", "/v1/partner", { headers: { "Portico-Version": OLD } });
    expect(askedOld.res.headers.get("Portico-Version")).toBe(OLD);

    const { token } = await setup(OLD);
    const missing = await call("GET", `/v1/kyc/verifications/${crypto.randomUUID()}`, { token });
    expect(missing.body.error.code).toBe(30);
    expect(missing.res.headers.get("Portico-Version")).toBe(OLD);
    // Refused after the partner is known but before the version layer: the pin still, and its deprecation.
    const unrouted = await call("GET", "/v1/no-such-route", { token });
    expect(unrouted.body.error.code).toBe(31);
    expect(unrouted.res.headers.get("Portico-Version")).toBe(OLD);
    expect(unrouted.res.headers.get("Deprecation")).toBe(`@${seconds("2026-12-01")}`);
    const invalid = await verify(token, { full_name: "A B" }, { "Portico-Version": CURRENT });
    expect(invalid.body.error.code).toBe(4);
    expect(invalid.res.headers.get("Portico-Version")).toBe(CURRENT);
  });

  it("an unknown or malformed version is 400, code 80, naming the header, and changes nothing", async () => {
    const { p, token } = await setup();
    const key = crypto.randomUUID();
    for (const asked of ["2025-01-01", "2026-12-1", "latest", "2026-12-01; x", ""]) {
      const r = await verify(token, byPhone("phone_number"), {
        "Portico-Version": asked,
        "Idempotency-Key": key,
      });
      expect(r.res.status, asked).toBe(400);
      expect(r.body).toMatchObject({ result: null, error: { code: 80, reason: "api_version_unknown" } });
      expect(r.body.error.field).toBe("Portico-Version");
      expect(r.body.error.message).toContain(VERSION_DATES.join(", "));
      expect(r.body.error.message).not.toContain(asked || "\u0000");
      // The answer speaks the partner's pinned version.
      expect(r.res.headers.get("Portico-Version")).toBe(CURRENT);
    }
    expect(await verifications(p.id)).toEqual([]);
    // Nothing was stored under the key either: it runs for real once the version is right.
    const ok = await verify(token, byPhone("phone_number"), { "Idempotency-Key": key });
    expect(ok.res.status).toBe(200);
    expect(ok.res.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await verifications(p.id)).toHaveLength(1);
  });
});

describe("2026-12-01 kyc-phone-number: each version side by side", () => {
  it("the request: 2026-06-01 sends phone, 2026-12-01 sends phone_number; the same verification is made", async () => {
    const old = await setup(OLD);
    const current = await setup();
    const a = await verify(old.token, byPhone("phone"));
    const b = await verify(current.token, byPhone("phone_number"));
    expect(a.body.result).toMatchObject({ identifier_type: "phone", outcome: "match" });
    expect(b.body.result).toMatchObject({ identifier_type: "phone_number", outcome: "match" });
    expect(Object.keys(a.body.result).sort()).toEqual(Object.keys(b.body.result).sort());
    // One code path: both are stored alike.
    expect((await verifications(old.p.id)).map((r) => r.identifier_type)).toEqual(["phone"]);
    expect((await verifications(current.p.id)).map((r) => r.identifier_type)).toEqual(["phone"]);
  });

  it("each version's field is unknown at the other: ignored, so the identifier is missing (code 4) and nothing is made", async () => {
    const { p, token } = await setup(OLD);
    const newFieldAtOld = await verify(token, byPhone("phone_number"));
    expect(newFieldAtOld.body.error).toMatchObject({ code: 4, field: "params" });
    expect(newFieldAtOld.body.error.message).toContain("phone is required");
    expect(newFieldAtOld.body.error.message).not.toContain("phone_number");
    const oldFieldAtNew = await verify(token, byPhone("phone"), { "Portico-Version": CURRENT });
    expect(oldFieldAtNew.body.error).toMatchObject({ code: 4, field: "params" });
    expect(oldFieldAtNew.body.error.message).toContain("phone_number is required");
    expect(await verifications(p.id)).toEqual([]);
  });

  it("a refused field is named as the caller's version names it", async () => {
    const { token } = await setup(OLD);
    const old = await verify(token, { phone: "998901234567", full_name: "A B" });
    expect(old.body.error).toMatchObject({ code: 4, field: "params.phone" });
    expect(old.body.error.message).toContain("params.phone,");
    expect(old.body.error.message).not.toContain("phone_number");
    const current = await verify(
      token,
      { phone_number: "998901234567", full_name: "A B" },
      { "Portico-Version": CURRENT },
    );
    expect(current.body.error).toMatchObject({ code: 4, field: "params.phone_number" });
  });

  it("the answer: one verification read at each version, alone and in the list", async () => {
    const { token } = await setup();
    const made = (await verify(token, byPhone("phone_number"))).body.result;
    const at = (version: string, path: string) =>
      call("GET", path, { token, headers: { "Portico-Version": version } });
    const current = await at(CURRENT, `/v1/kyc/verifications/${made.id}`);
    const old = await at(OLD, `/v1/kyc/verifications/${made.id}`);
    expect(current.body.result).toEqual(made);
    expect(old.body.result).toEqual({ ...made, identifier_type: "phone" });
    expect((await at(OLD, "/v1/kyc/verifications")).body.result.data[0]).toEqual({
      ...made,
      identifier_type: "phone",
    });
    expect((await at(CURRENT, "/v1/kyc/verifications")).body.result.data[0]).toEqual(made);
    // An account-number verification is the same at both versions.
    const byAccount = (
      await verify(token, { account_number: "20208000900100000001", full_name: SANDBOX_KYC_HOLDER.full_name })
    ).body.result;
    expect((await at(OLD, `/v1/kyc/verifications/${byAccount.id}`)).body.result).toEqual(byAccount);
  });

  it("the event log renders the event's object in the caller's version", async () => {
    const { token } = await setup();
    const made = (await verify(token, byPhone("phone_number"))).body.result;
    const list = (version: string) =>
      call("GET", "/v1/events?type=kyc_verification.completed", {
        token,
        headers: { "Portico-Version": version },
      });
    const current = (await list(CURRENT)).body.result.data[0];
    const old = (await list(OLD)).body.result.data[0];
    expect(current.data.object).toMatchObject({ id: made.id, identifier_type: "phone_number" });
    expect(old.data.object).toMatchObject({ id: made.id, identifier_type: "phone" });
  });
});

describe("idempotent replays under each version", () => {
  it("the replay is stored at the current version and answered in the replaying caller's version", async () => {
    const { p, token } = await setup(OLD);
    const key = crypto.randomUUID();
    const first = await verify(token, byPhone("phone"), { "Idempotency-Key": key });
    expect(first.body.result.identifier_type).toBe("phone");
    // The same request at the current version, in its own words: the same request, replayed.
    const atCurrent = await verify(token, byPhone("phone_number"), {
      "Idempotency-Key": key,
      "Portico-Version": CURRENT,
    });
    expect(atCurrent.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(atCurrent.res.headers.get("Portico-Version")).toBe(CURRENT);
    expect(atCurrent.body.result).toEqual({ ...first.body.result, identifier_type: "phone_number" });
    const atOld = await verify(token, byPhone("phone"), { "Idempotency-Key": key });
    expect(atOld.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(atOld.body).toEqual(first.body);
    expect(await verifications(p.id)).toHaveLength(1);
    // A different request under the key is still refused, at any version.
    const other = await verify(
      token,
      { ...byPhone("phone"), full_name: "Someone Else" },
      { "Idempotency-Key": key },
    );
    expect(other.body.error.code).toBe(51);
  });
});

describe("deprecation headers", () => {
  it("on the deprecated version only: Deprecation (RFC 9745), Sunset (RFC 8594), Link to the changelog", async () => {
    const { token } = await setup(OLD);
    const old = await call("GET", "/v1/partner", { token });
    expect(old.res.headers.get("Deprecation")).toBe(`@${seconds("2026-12-01")}`);
    expect(old.res.headers.get("Sunset")).toBe("Tue, 01 Jun 2027 00:00:00 GMT");
    expect(old.res.headers.get("Link")).toBe(`<${BASE}/changelog#${OLD}>; rel="deprecation"`);
    // Errors at that version carry them too.
    const refused = await call("GET", `/v1/kyc/verifications/${crypto.randomUUID()}`, { token });
    expect(refused.res.headers.get("Deprecation")).toBe(`@${seconds("2026-12-01")}`);

    const current = await call("GET", "/v1/partner", { token, headers: { "Portico-Version": CURRENT } });
    for (const h of ["Deprecation", "Sunset", "Link"]) expect(current.res.headers.get(h), h).toBeNull();
  });
});

describe("webhook endpoints pinned to a version", () => {
  it("default the partner's pin, settable on create and update, shown, and an unknown one refused with 80", async () => {
    const old = await setup(OLD);
    const hook = receiver();
    const made = await createEndpoint(old.token, { url: hook.url });
    expect(made).toMatchObject({ api_version: OLD });
    const set = await createEndpoint(old.token, { url: hook.url, api_version: CURRENT });
    expect(set).toMatchObject({ api_version: CURRENT });
    const patched = await call("PATCH", `/v1/webhook_endpoints/${made.id}`, {
      token: old.token,
      json: { params: { api_version: CURRENT } },
    });
    expect(patched.body.result.api_version).toBe(CURRENT);
    expect(
      (await call("GET", `/v1/webhook_endpoints/${made.id}`, { token: old.token })).body.result.api_version,
    ).toBe(CURRENT);

    const before = await call("GET", "/v1/webhook_endpoints", { token: old.token });
    const refused = await call("POST", "/v1/webhook_endpoints", {
      token: old.token,
      json: { params: { url: hook.url, api_version: "2020-01-01" } },
    });
    expect(refused.res.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 80, field: "params.api_version" });
    const badPatch = await call("PATCH", `/v1/webhook_endpoints/${made.id}`, {
      token: old.token,
      json: { params: { api_version: "2020-01-01", description: "changed?" } },
    });
    expect(badPatch.body.error).toMatchObject({ code: 80, field: "params.api_version" });
    const after = await call("GET", "/v1/webhook_endpoints", { token: old.token });
    expect(after.body.result).toEqual(before.body.result);
  });

  it("one event, two endpoints at two versions: each payload in its endpoint's version, each signed", async () => {
    const { token } = await setup();
    const oldHook = receiver();
    const newHook = receiver();
    const events = ["kyc_verification.completed"];
    const oldEndpoint = await createEndpoint(token, { url: oldHook.url, events, api_version: OLD });
    const newEndpoint = await createEndpoint(token, { url: newHook.url, events });
    expect(newEndpoint).toMatchObject({ api_version: CURRENT });
    const made = (await verify(token, byPhone("phone_number"))).body.result;

    const first = async (hook: ReturnType<typeof receiver>) => until(async () => (await hook.received())[0]);
    const [a, b] = await Promise.all([first(oldHook), first(newHook)]);
    const payload = (endpoint: { secret: string }, got: { headers: Record<string, string>; body: string }) =>
      new Webhook(endpoint.secret).verify(got.body, {
        "webhook-id": got.headers["webhook-id"] ?? "",
        "webhook-timestamp": got.headers["webhook-timestamp"] ?? "",
        "webhook-signature": got.headers["webhook-signature"] ?? "",
      }) as { id: string; type: string; data: { object: Record<string, unknown> } };
    const atOld = payload(oldEndpoint, a);
    const atNew = payload(newEndpoint, b);
    expect(atOld.id).toBe(atNew.id);
    expect(atOld.type).toBe("kyc_verification.completed");
    expect(atNew.data.object).toEqual(made);
    expect(atOld.data.object).toEqual({ ...made, identifier_type: "phone" });
  });
});

describe("/changelog", () => {
  it("a public page listing every version, newest first, with its changes and deprecation, under a strict CSP", async () => {
    const res = await SELF.fetch(`${BASE}/changelog`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe|https?:/);
    const html = await res.text();
    expect(html).not.toMatch(/<script|<link|<style|style=/);
    expect(html.indexOf(`id="${CURRENT}"`)).toBeGreaterThan(0);
    expect(html.indexOf(`id="${CURRENT}"`)).toBeLessThan(html.indexOf(`id="${OLD}"`));
    expect(html).toContain(`${CURRENT} <small>(current)</small>`);
    expect(html).toContain(`${OLD} <small>(deprecated since 2026-12-01, sunset on 2027-06-01)</small>`);
    expect(html).toContain('id="kyc-phone-number"');
    expect(html).toContain("<code>phone</code> is now <code>phone_number</code>");
  });
});

describe("the OpenAPI document", () => {
  it("every operation takes Portico-Version, every answer documents it, and every 400 lists code 80", async () => {
    const doc = (await (await SELF.fetch(`${BASE}/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: { name: string; in: string }[];
            responses: Record<
              string,
              { headers?: Record<string, unknown>; "x-portico-error-codes"?: number[] }
            >;
          }
        >
      >;
    };
    let operations = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      if (!path.startsWith("/v1/")) continue;
      for (const [method, op] of Object.entries(item)) {
        operations += 1;
        const where = `${method} ${path}`;
        expect(
          op.parameters?.some((p) => p.name === "Portico-Version" && p.in === "header"),
          where,
        ).toBe(true);
        for (const [status, response] of Object.entries(op.responses)) {
          expect(response.headers?.["Portico-Version"], `${where} ${status}`).toBeDefined();
        }
        expect(op.responses["400"]?.["x-portico-error-codes"], where).toContain(80);
      }
    }
    expect(operations).toBeGreaterThan(50);
  });
});
