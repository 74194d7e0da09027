import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PLATFORM_SCOPES } from "../../../src/platform/catalog";
import { provisionPartner } from "../../support/partners";
import { send, tokenWith } from "./support";

// usage:read is a platform scope every contract grants: new ones from the catalogue, the ones
// written before it from migration 0030, which adds it once to each contract lacking it.

const scopesOf = async (partnerId: string) =>
  JSON.parse(
    (
      await env.DB.prepare("SELECT scopes FROM partner_contracts WHERE partner_id = ?")
        .bind(partnerId)
        .first<{ scopes: string }>()
    )?.scopes ?? "null",
  ) as string[];

/** Migration 0030's statement that grants the scope, narrowed to these partners (the table is shared). */
async function grant(partnerIds: string[]) {
  const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0030_"));
  const update = migration?.queries.find((q) => q.includes("UPDATE `partner_contracts`"));
  if (!update) throw new Error("migration 0030 has no UPDATE of partner_contracts");
  const only = ` AND partner_contracts.partner_id IN (${partnerIds.map(() => "?").join(", ")})`;
  await env.DB.prepare(update.replace(/;\s*$/, "") + only)
    .bind(...partnerIds)
    .run();
}

describe("the usage:read scope", () => {
  it("is a platform scope: every new contract grants it", async () => {
    expect(PLATFORM_SCOPES).toContain("usage:read");
    const p = await provisionPartner({ products: [] });
    expect(await scopesOf(p.id)).toContain("usage:read");
  });

  it("migration 0030 adds it once to a contract written before it, and keeps the others as they were", async () => {
    const before = await provisionPartner({ scopes: ["partner:read", "events:read"] });
    const already = await provisionPartner({ scopes: ["usage:read", "partner:read"] });
    const token = await tokenWith(before);
    const refused = await send("GET", "/v1/requests", { token });
    expect(refused.res.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 20, message: expect.stringContaining("usage:read") });

    await grant([before.id, already.id]);
    await grant([before.id, already.id]);
    expect(await scopesOf(before.id)).toEqual(["partner:read", "events:read", "usage:read"]);
    expect(await scopesOf(already.id)).toEqual(["usage:read", "partner:read"]);
  });
});
