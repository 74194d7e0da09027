import { afterEach, describe, expect, it } from "vitest";
import { webhookEndpoints } from "../../../src/modules/webhooks/storage";
import { killSwitches } from "../../../src/platform/db/schema";
import { uuidv7 } from "../../../src/platform/lib/ids";
import { admin, adminCall } from "../../support/admin";
import { consoleCall, flashOf, submit, unescaped } from "../../support/console";
import { tokenFor } from "../../support/http";
import { db, provisionPartner } from "../../support/partners";
import { logRow } from "../usage/support";

// The sandbox's console pages (the review queue's are production's: test/control-plane).

const rates = "/v1/fx/rates?sell_currency=USD&buy_currency=UZS";

describe("the console's kill switches page", () => {
  afterEach(async () => {
    await db.delete(killSwitches);
  });

  it("switches a product off only with the confirmation, then on again; the API follows", async () => {
    const p = await provisionPartner();
    const bearer = { Authorization: `Bearer ${await tokenFor(p)}` };
    const op = await admin("operator");
    const shown = await consoleCall("GET", "/console/kill-switches", { token: op.token });
    expect(shown.res.status).toBe(200);
    expect(shown.text).toContain('data-kill-switch="fx"');
    expect(shown.text).toContain('aria-current="page">Kill switches');

    const unconfirmed = await submit(op.token, "/console/kill-switches", "/console/kill-switches/fx", {
      disabled: "true",
      reason: "rate feed incident",
    });
    expect(unconfirmed.res.status).toBe(400);
    expect(flashOf(unconfirmed.text)).toContain("Not switched");
    expect(await db.select().from(killSwitches)).toEqual([]);

    const off = await submit(op.token, "/console/kill-switches", "/console/kill-switches/fx", {
      disabled: "true",
      reason: "rate feed incident",
      confirm: "yes",
    });
    expect(off.res.status).toBe(200);
    expect(flashOf(off.text)).toBe("fx switched off: its routes answer 503, code 22.");
    expect(unescaped(off.text)).toContain("switch: rate feed incident");
    expect(off.text).toContain(op.email);
    const refused = await adminCall("GET", rates, { headers: bearer });
    expect(refused.body.error.code).toBe(22);

    const on = await submit(op.token, "/console/kill-switches", "/console/kill-switches/fx", {
      disabled: "false",
      reason: "feed restored",
    });
    expect(flashOf(on.text)).toBe("fx switched on.");
    expect((await adminCall("GET", rates, { headers: bearer })).res.status).toBe(200);
  });

  it("a viewer's switch is refused (104), and without a reason nothing changes (4)", async () => {
    const viewer = await admin("viewer");
    const refused = await submit(viewer.token, "/console/kill-switches", "/console/kill-switches/fx", {
      disabled: "true",
      reason: "viewer tries",
      confirm: "yes",
    });
    expect(refused.res.status).toBe(403);
    expect(flashOf(refused.text)).toMatch(/\(code 104\)$/);
    const op = await admin("operator");
    const noReason = await submit(op.token, "/console/kill-switches", "/console/kill-switches/fx", {
      disabled: "true",
      confirm: "yes",
    });
    expect(noReason.res.status).toBe(400);
    expect(flashOf(noReason.text)).toMatch(/\(code 4\)$/);
    const unknown = await submit(op.token, "/console/kill-switches", "/console/kill-switches/crypto", {
      disabled: "true",
      reason: "no such product",
      confirm: "yes",
    });
    expect(unknown.res.status).toBe(400);
    expect(await db.select().from(killSwitches)).toEqual([]);
  });
});

describe("the console's read pages", () => {
  it("webhook health shows a failing endpoint's host and partner, never its path", async () => {
    const p = await provisionPartner({ name: `Console Hooks ${crypto.randomUUID().slice(0, 6)}` });
    const id = uuidv7();
    await db.insert(webhookEndpoints).values({
      id,
      partnerId: p.id,
      url: "https://hooks.console.example/secret-path/tok_123",
      events: [],
      signing: "hmac_sha256",
      secretSealed: "sealed",
      failingSince: new Date().toISOString(),
    });
    const { token } = await admin("viewer");
    const r = await consoleCall("GET", "/console/webhooks?state=failing", { token });
    expect(r.res.status).toBe(200);
    expect(r.text).toContain(`data-endpoint="${id}"`);
    expect(r.text).toContain("hooks.console.example");
    expect(r.text).not.toContain("secret-path");
    expect(r.text).toContain(`href="/console/partners/${p.id}"`);
    const bad = await consoleCall("GET", "/console/webhooks?state=broken", { token });
    expect(bad.res.status).toBe(400);
    expect(flashOf(bad.text)).toMatch(/\(code 4\)$/);
  });

  it("versions lists every version and its partners; a partner's page shows its contract, usage and credentials", async () => {
    const p = await provisionPartner();
    const { token } = await admin("viewer");
    const versions = await consoleCall("GET", "/console/versions", { token });
    expect(versions.res.status).toBe(200);
    expect(versions.text).toMatch(/data-version="\d{4}-\d{2}-\d{2}"/);

    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await logRow(p.id, Date.parse(`${yesterday}T10:00:00.000Z`), { latencyMs: 42, status: 500 });
    const shown = await consoleCall("GET", `/console/partners/${p.id}`, { token });
    expect(shown.res.status).toBe(200);
    const text = unescaped(shown.text);
    expect(text).toContain('id="partner-contract"');
    expect(text).toContain("any address"); // no IP allow-list
    expect(text).toMatch(new RegExp(`data-usage-day="${yesterday}"><td>${yesterday}</td><td>1</td>`));
    expect(text).toContain('id="usage-data"');
    expect(text).toContain(p.consumerKey);
    expect(text).not.toContain(p.consumerSecret);
  });

  it("has no application queue in the sandbox: the page says so, and the nav leaves it out", async () => {
    const { token } = await admin("approver");
    const r = await consoleCall("GET", "/console/applications", { token });
    expect(r.res.status).toBe(404);
    expect(flashOf(r.text)).toContain("the sandbox has none");
    expect(r.text).not.toContain('href="/console/applications"');
    const detail = await consoleCall("GET", `/console/applications/${crypto.randomUUID()}`, { token });
    expect(detail.res.status).toBe(404);
    const post = await submit(
      token,
      "/console/kill-switches",
      `/console/applications/${crypto.randomUUID()}/approve`,
      {
        reason: "sandbox",
      },
    );
    expect(post.res.status).toBe(404);
  });
});
