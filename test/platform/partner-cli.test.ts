import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { partnerCommand, UsageError } from "../../scripts/lib/partner-commands";
import { partnerContracts, partnerCredentials, partners } from "../../src/modules/partners/storage";
import { admin, adminCall } from "../support/admin";
import { db, provisionPartner } from "../support/partners";

// `npm run partner` is a thin client of the admin API: each command is one admin call. Each
// command's request is sent here to the routes themselves, and what it changed is checked.

async function run(argv: string[], token: string) {
  const request = partnerCommand(argv);
  const r = await adminCall(request.method, request.path, {
    token,
    ...(request.body ? { json: request.body } : {}),
  });
  return { request, ...r };
}
const contractOf = async (id: string) =>
  (await db.select().from(partnerContracts).where(eq(partnerContracts.partnerId, id)))[0];
const statusOf = async (id: string) =>
  (await db.select().from(partners).where(eq(partners.id, id)))[0]?.status;

describe("npm run partner: the admin API's client", () => {
  it("maps every command to an admin route, which changes the partner", async () => {
    const { token } = await admin("approver");
    const name = `CLI-${crypto.randomUUID()}`;
    const p = await provisionPartner({ products: ["payments", "cards"], name });

    const listed = await run(["list", "--query", name, "--env", "sandbox"], token);
    expect(listed.request.path).toBe(`/admin/v1/partners?query=${name}&environment=sandbox`);
    expect(listed.body.result.data.map((x: { id: string }) => x.id)).toEqual([p.id]);
    expect((await run(["get", p.id], token)).body.result).toMatchObject({ id: p.id });

    // A contract change that only narrows applies at once.
    const narrowed = await run(
      ["contract", p.id, "--products", "payments", "--rps", "5", "--reason", "cards paused"],
      token,
    );
    expect(narrowed.res.status, JSON.stringify(narrowed.body)).toBe(200);
    expect(await contractOf(p.id)).toMatchObject({ products: ["payments"], rateLimitPerSecond: 5 });

    const origins = await run(["origins", p.id, "--cors-origins", "", "--reason", "no browser app"], token);
    expect(origins.request.body?.params).toEqual({ cors_origins: [], reason: "no browser app" });
    expect(origins.res.status).toBe(200);

    const allow = await run(
      [
        "allowlist",
        p.id,
        "--ip-allowlist",
        "192.0.2.0/24",
        "--webhook-domains",
        "hooks.acme.example",
        "--reason",
        "lock down",
      ],
      token,
    );
    expect(allow.res.status, JSON.stringify(allow.body)).toBe(200);
    expect(await contractOf(p.id)).toMatchObject({
      ipAllowlist: ["192.0.2.0/24"],
      webhookDomains: ["hooks.acme.example"],
    });
    // Emptying the IP allow-list lets more in: a change request for a second approver.
    const widen = await run(
      ["allowlist", p.id, "--ip-allowlist", "", "--reason", "any address again"],
      token,
    );
    expect(widen.res.status).toBe(202);
    expect(widen.body.result).toMatchObject({ object: "change_request", status: "pending" });

    const issued = await run(
      ["credentials", "issue", p.id, "--reason", "second key", "--description", "ops"],
      token,
    );
    expect(issued.res.status).toBe(201);
    const revoked = await run(["credentials", "revoke", p.id, issued.body.result.id], token);
    expect(revoked.res.status).toBe(200);
    const [credential] = await db
      .select()
      .from(partnerCredentials)
      .where(eq(partnerCredentials.id, issued.body.result.id));
    expect(credential?.status).toBe("revoked");

    expect((await run(["suspend", p.id, "--reason", "unpaid invoices"], token)).res.status).toBe(200);
    expect(await statusOf(p.id)).toBe("suspended");
    const reactivate = await run(["reactivate", p.id, "--reason", "paid"], token);
    expect(reactivate.res.status).toBe(202);
    expect(await statusOf(p.id)).toBe("suspended");
    expect((await run(["offboard", p.id, "--reason", "contract ended"], token)).res.status).toBe(200);
    expect(await statusOf(p.id)).toBe("offboarded");
  });

  it("creates no partner, needs a reason for every write, and refuses what it does not know", () => {
    const id = crypto.randomUUID();
    expect(() => partnerCommand(["create", "--name", "Acme"])).toThrow(/POST \/onboarding\/register/);
    expect(() => partnerCommand(["suspend", id])).toThrow(UsageError);
    expect(() => partnerCommand(["contract", id, "--reason", "nothing named"])).toThrow(/at least one/);
    expect(() => partnerCommand(["suspend", "not-a-uuid", "--reason", "x y z"])).toThrow(/UUID/);
    expect(() => partnerCommand(["list", "--remote"])).toThrow(/unknown option/);
    expect(
      partnerCommand(["contract", id, "--quota", "none", "--fee-bps", "120", "--reason", "r r r"]),
    ).toEqual({
      method: "PATCH",
      path: `/admin/v1/partners/${id}/contract`,
      body: { params: { daily_quota: null, fee_bps: 120, reason: "r r r" } },
    });
  });
});
