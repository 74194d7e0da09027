import { describe, expect, it } from "vitest";
import { parseIpAllowlist } from "../../src/modules/partners/ip-allowlist";
import { profileCache } from "../../src/modules/partners/profile";
import { setAllowLists } from "../../src/modules/partners/storage";
import { takesPublishableKey } from "../contract/openapi";
import type { ContractRequest } from "../contract/request";
import { basic, call } from "../support/http";
import { db, provisionPartner } from "../support/partners";
import {
  changedSince,
  entitled,
  expectEnvelope,
  ok,
  rekeyed,
  send,
  settledState,
  v1,
  validRequest,
} from "./owasp/support";

// OWASP API2:2023 / API8:2023: a partner's IP allow-list holds on every operation the document
// lists and at the token endpoint. An address outside it (or none) is refused with 403, code 23,
// and changes nothing; the same request from a listed address goes through.

const LIST = parseIpAllowlist(["192.0.2.0/24", "2001:db8:7::/48"]);
const OUTSIDE = ["198.51.100.9", "2001:db8:8::1", "::ffff:198.51.100.9", null];

/** The request from an address (null: without CF-Connecting-IP), with a fresh Idempotency-Key. */
function fromAddress(op: (typeof v1)[number], req: ContractRequest, address: string | null): ContractRequest {
  const keyed = rekeyed(op, req);
  const headers = { ...keyed.headers };
  delete headers["CF-Connecting-IP"];
  if (address !== null) headers["CF-Connecting-IP"] = address;
  return { ...keyed, headers };
}

describe("a partner's IP allow-list", () => {
  // A publishable key is called from the customers' browsers: the allow-list, which lists the
  // partner's servers, does not apply to it (docs/payment-methods.md, authenticatePublishable).
  for (const op of v1.filter(takesPublishableKey)) {
    it(`${op.key}: a publishable key is taken from any address, the allow-list notwithstanding`, async () => {
      const ctx = await entitled();
      const valid = await validRequest(op, ctx);
      await setAllowLists(db, ctx.partner.id, { ipAllowlist: LIST });
      profileCache.invalidate(ctx.partner.id);
      for (const address of [...OUTSIDE, "192.0.2.200"]) {
        const ex = await send(fromAddress(op, valid, address));
        expect(ok(ex), `${address}: ${ex.text.slice(0, 200)}`).toBe(true);
      }
    });
  }

  for (const op of v1.filter((op) => !takesPublishableKey(op))) {
    it(`${op.key}: an IP outside the allow-list is refused with 403 code 23 and changes nothing`, async () => {
      const ctx = await entitled();
      const valid = await validRequest(op, ctx);
      await setAllowLists(db, ctx.partner.id, { ipAllowlist: LIST });
      profileCache.invalidate(ctx.partner.id);

      const before = await settledState([ctx.partner.id]);
      for (const address of OUTSIDE) expectEnvelope(await send(fromAddress(op, valid, address)), 403, 23);
      expect(await changedSince(before, [ctx.partner.id])).toEqual([]);
      expect(ok(await send(fromAddress(op, valid, "192.0.2.200")))).toBe(true);
    });
  }

  it("POST /oauth2/token: an IP outside the allow-list gets no token, a listed one does", async () => {
    const p = await provisionPartner({ ipAllowlist: LIST });
    const token = (address: string | null) =>
      call("POST", "/oauth2/token", {
        headers: {
          Authorization: basic(p.consumerKey, p.consumerSecret),
          "Content-Type": "application/x-www-form-urlencoded",
          ...(address === null ? {} : { "CF-Connecting-IP": address }),
        },
        body: "grant_type=client_credentials",
      });
    for (const address of OUTSIDE) {
      const r = await token(address);
      expect(r.res.status).toBe(403);
      expect(r.body).toMatchObject({ error: "unauthorized_client", code: 23 });
      expect(r.body.access_token).toBeUndefined();
    }
    const listed = await token("2001:db8:7:1::1");
    expect(listed.res.status).toBe(200);
    expect(typeof listed.body.access_token).toBe("string");
  });
});
