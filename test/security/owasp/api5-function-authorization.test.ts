import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import { buildOpenApi } from "../../../src/modules/docs/openapi";
import { TOKENIZE_SCOPE } from "../../../src/modules/payment-methods/authenticate";
import { ALL_SCOPES, PRODUCTS, type Product } from "../../../src/platform/catalog";
import { type OpenApiDocument, operationsOf, takesPublishableKey } from "../../contract/openapi";
import { publishableKey } from "../../contract/prerequisites";
import { requestToken, tokenFor } from "../../support/http";
import { provisionPartner } from "../../support/partners";
import {
  as,
  bare,
  changedSince,
  entitled,
  expectEnvelope,
  ok,
  PRODUCTION,
  productionPartner,
  productOf,
  scopeOf,
  send,
  sendWith,
  settledState,
  v1,
  validRequest,
} from "./support";

// OWASP API5:2023. Partners are the only callers (there is no admin API); what a partner may
// call is its contract's products and its token's scopes. Each operation's documented scope is
// checked to be both necessary and sufficient, its product's licence necessary, and the
// sandbox's own operations absent from production even to a valid production token.

const isProduct = (p: string | undefined): p is Product => PRODUCTS.includes(p as Product);

describe("OWASP API5:2023 Broken Function Level Authorization", () => {
  // A publishable key carries one scope, payments:tokenize, when the contract grants
  // payments:write (docs/payment-methods.md): the key of a contract without it, or without the
  // payments licence, is refused; the partner's own key goes through.
  for (const op of v1.filter(takesPublishableKey)) {
    it(`${op.key}: a publishable key needs the contract's payments:write and the payments licence`, async () => {
      const product = productOf(op);
      expect(product).toBe("payments");
      const owner = await entitled();
      const valid = await validRequest(op, owner);
      const keyOf = async (partner: Awaited<ReturnType<typeof provisionPartner>>) =>
        publishableKey({ partner, token: await tokenFor(partner) });
      const noWrite = await provisionPartner({ scopes: ALL_SCOPES.filter((s) => s !== "payments:write") });
      const unlicensed = await provisionPartner({ products: PRODUCTS.filter((p) => p !== product) });
      const [noWriteKey, unlicensedKey, ownKey] = [
        await keyOf(noWrite),
        await keyOf(unlicensed),
        await publishableKey(owner),
      ];
      const partners = [owner.partner.id, noWrite.id, unlicensed.id];
      const before = await settledState(partners);

      const noScope = await send(as(op, valid, noWriteKey));
      expect(expectEnvelope(noScope, 403, 20).message).toBe(
        `The token lacks the required scope: ${TOKENIZE_SCOPE}`,
      );
      const refused = await send(as(op, valid, unlicensedKey));
      expect(expectEnvelope(refused, 403, 21).message).toBe(
        `The contract does not license the product: ${product}`,
      );
      expect(await changedSince(before, partners)).toEqual([]);

      const own = await send(as(op, valid, ownKey));
      expect(ok(own), `${op.key} with the partner's key: ${own.text.slice(0, 200)}`).toBe(true);
    });
  }

  for (const op of v1.filter((op) => !takesPublishableKey(op))) {
    it(`${op.key}: its scope is needed and enough, its product's licence needed`, async () => {
      const scope = scopeOf(op) as string;
      const product = productOf(op);
      const owner = await entitled();
      const valid = await validRequest(op, owner);
      const allBut = await tokenFor(owner.partner, ALL_SCOPES.filter((s) => s !== scope).join(" "));
      const unlicensed = isProduct(product)
        ? await provisionPartner({ products: PRODUCTS.filter((p) => p !== product) })
        : undefined;
      const partners = [owner.partner.id, ...(unlicensed ? [unlicensed.id] : [])];
      const before = await settledState(partners);

      const noScope = await send(as(op, valid, allBut));
      expect(expectEnvelope(noScope, 403, 20).message).toBe(`The token lacks the required scope: ${scope}`);
      if (unlicensed) {
        // Another partner's object, and no licence: the licence is checked first, nothing is looked up.
        const refused = await send(as(op, valid, await tokenFor(unlicensed)));
        expect(expectEnvelope(refused, 403, 21).message).toBe(
          `The contract does not license the product: ${product}`,
        );
      }
      expect(await changedSince(before, partners)).toEqual([]);

      const onlyScope = await send(as(op, valid, await tokenFor(owner.partner, scope)));
      expect(ok(onlyScope), `${op.key} with only ${scope}: ${onlyScope.text.slice(0, 200)}`).toBe(true);
    });
  }

  it("a token cannot be issued with a scope the contract does not grant, or one that does not exist", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    for (const scope of ["cards:write", "admin", "partner:admin", "*", "payments:write admin"]) {
      const r = await requestToken(p, { grant_type: "client_credentials", scope });
      expect(r.res.status, scope).toBe(400);
      expect(r.body.error, scope).toBe("invalid_scope");
      expect(r.body.access_token, scope).toBeUndefined();
    }
  });

  it("serves no administrative, internal or debugging function to partners: every /v1 route is a partner's", () => {
    const served = createApp()
      .routes.filter((r) => r.method !== "ALL")
      .map((r) => `${r.method} ${r.path}`);
    // The platform team's admin API lives apart, under /admin behind Cloudflare Access
    // (test/modules/admin/authentication.test.ts: a partner's token never reaches it).
    const partnerFacing = served.filter((r) => !/^\w+ \/admin\//.test(r));
    expect(
      partnerFacing.filter((r) => /admin|internal|debug|manage|ops\b|superuser|impersonat/i.test(r)),
    ).toEqual([]);
    // Production's own /v1 operations (the terms calls) are in production's document only.
    const production = buildOpenApi(
      createApp(),
      "http://portico.test",
      "production",
    ) as unknown as OpenApiDocument;
    const partnerScoped = new Set(
      [...v1, ...operationsOf(production).filter((op) => op.path.startsWith("/v1/"))]
        .filter((op) => scopeOf(op) !== undefined || takesPublishableKey(op))
        .map((op) => op.key),
    );
    const v1Served = [...new Set(served.filter((r) => r.includes(" /v1/")))].map((r) =>
      r.replace(/:(\w+)/g, "{$1}"),
    );
    expect(v1Served.filter((r) => !partnerScoped.has(r))).toEqual([]);
  });

  it("the sandbox's operations answer a valid production token as a path that never existed", async () => {
    const sandboxOnly = v1.filter((op) => op.path.startsWith("/v1/sandbox/"));
    expect(sandboxOnly.length).toBeGreaterThanOrEqual(5);
    const { partner, token } = await productionPartner();
    const never = expectEnvelope(
      await sendWith(PRODUCTION, bare({ method: "POST", path: "/v1/never" }, { token })),
      404,
      31,
    );
    const before = await settledState([partner.id]);
    for (const op of sandboxOnly) {
      // A read (the test clock's) has no body to send.
      const body = op.method.toUpperCase() === "GET" ? {} : { json: { params: {} } };
      const ex = await sendWith(PRODUCTION, bare(op, { token, ...body }));
      const error = expectEnvelope(ex, 404, never.code);
      expect(error.reason).toBe(never.reason);
    }
    expect(await changedSince(before, [partner.id])).toEqual([]);
  });
});
