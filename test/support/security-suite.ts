import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { WWW_AUTHENTICATE } from "../../src/modules/partners/authenticate";
import { PLATFORM_SCOPES, PRODUCTS, type Product } from "../../src/platform/catalog";
import { call, tokenFor } from "./http";
import { provisionPartner, suspendPartner, type TestPartner } from "./partners";
import { expectSafeHeaders } from "./safe-headers";
import { forgeToken, retiredKey } from "./tokens";

export interface SecuredRoute {
  method: string;
  /** `{id}` is replaced by an object id. */
  path: string;
  product: Product | null;
  scope: string;
  /** A valid body, so that a refusal is about security and nothing else. */
  json?: unknown;
  /** Status of a successful call by an entitled partner. */
  okStatus?: number;
  /** Readies an entitled partner for a successful call (e.g. funds it for a payout). */
  prepare?: (partner: TestPartner) => Promise<void>;
  /** A success answers something else than the JSON envelope (a CSV download): its body is not read. */
  envelope?: false;
  /** An id nobody has, of the form the route's path takes (default: a random uuid). */
  unknownId?: () => string;
  /** Creates an object owned by `owner` and returns its id, for the foreign-object check. */
  createOwned?: (owner: TestPartner, token: string) => Promise<string>;
}

const fill = (path: string, id: string) => path.replace("{id}", id);

/**
 * The spine's security suite: no token, garbage, bad signature, expired, wrong
 * environment, wrong issuer/audience, retired key, missing scope, unlicensed product,
 * suspended partner, revoked credential, another partner's object. Every route runs it.
 */
export function securitySuite(route: SecuredRoute) {
  const send = (token: string | undefined, id: string = crypto.randomUUID()) =>
    call(route.method, fill(route.path, id), {
      ...(token !== undefined ? { token } : {}),
      ...(route.json !== undefined ? { json: route.json } : {}),
    });

  const expectRefused = (
    result: Awaited<ReturnType<typeof send>>,
    status: number,
    code: number,
    wwwAuthenticate?: string,
  ) => {
    expect(result.res.status).toBe(status);
    expect(result.body.result).toBeNull();
    expect(result.body.error.code).toBe(code);
    expect(result.res.headers.get("X-Request-Id")).toBeTruthy();
    expectSafeHeaders(result.res, route.path);
    if (wwwAuthenticate !== undefined)
      expect(result.res.headers.get("WWW-Authenticate")).toBe(wwwAuthenticate);
  };

  describe(`security: ${route.method} ${route.path}`, () => {
    it("refuses a request without credentials", async () => {
      expectRefused(await send(undefined), 401, 10, WWW_AUTHENTICATE.missing);
    });

    it("refuses another auth scheme as missing credentials", async () => {
      const r = await call(route.method, fill(route.path, crypto.randomUUID()), {
        headers: { Authorization: "Basic Zm9vOmJhcg==" },
      });
      expectRefused(r, 401, 10, WWW_AUTHENTICATE.missing);
    });

    it("refuses garbage", async () => {
      expectRefused(await send("not-a-jwt"), 401, 11, WWW_AUTHENTICATE.invalid);
      expectRefused(await send(""), 401, 11, WWW_AUTHENTICATE.invalid);
    });

    it("refuses a bad signature, a retired key, a wrong issuer, audience or type", async () => {
      const p = await provisionPartner();
      const good = await forgeToken(p.id, p.consumerKey);
      const [h, c, s] = good.split(".");
      const tampered = `${h}.${c}.${s?.startsWith("A") ? `B${s.slice(1)}` : `A${s?.slice(1)}`}`;
      expectRefused(await send(tampered), 401, 11, WWW_AUTHENTICATE.invalid);
      expectRefused(await send(await forgeToken(p.id, p.consumerKey, { key: retiredKey() })), 401, 11);
      // A foreign key claiming our kid.
      expectRefused(
        await send(await forgeToken(p.id, p.consumerKey, { key: retiredKey(), kid: "test-2026-b" })),
        401,
        11,
      );
      expectRefused(
        await send(await forgeToken(p.id, p.consumerKey, { iss: "https://evil.example" })),
        401,
        11,
      );
      expectRefused(await send(await forgeToken(p.id, p.consumerKey, { aud: "someone-else" })), 401, 11);
      expectRefused(await send(await forgeToken(p.id, p.consumerKey, { typ: "JWT" })), 401, 11);
    });

    it("refuses an expired token with the expired header", async () => {
      const p = await provisionPartner();
      const iat = Math.floor(Date.now() / 1000) - 7200;
      const expired = await forgeToken(p.id, p.consumerKey, { iat, exp: iat + 3600 });
      expectRefused(await send(expired), 401, 12, WWW_AUTHENTICATE.expired);
    });

    it("refuses a token of the other environment", async () => {
      const p = await provisionPartner();
      const other = env.ENVIRONMENT === "production" ? "sandbox" : "production";
      const live = await forgeToken(p.id, p.consumerKey, { claims: { env: other } });
      expectRefused(await send(live), 401, 13, WWW_AUTHENTICATE.invalid);
    });

    it("refuses a token without the route's scope", async () => {
      const p = await provisionPartner();
      const other = PLATFORM_SCOPES.find((s) => s !== route.scope) ?? "events:read";
      const r = await send(await tokenFor(p, other));
      expectRefused(r, 403, 20);
      expect(r.body.error.message).toContain(route.scope);
    });

    if (route.product !== null) {
      const product = route.product;
      it(`refuses a partner whose contract does not license ${product}`, async () => {
        const p = await provisionPartner({ products: PRODUCTS.filter((x) => x !== product) });
        const r = await send(await tokenFor(p));
        expectRefused(r, 403, 21);
        expect(r.body.error.message).toContain(product);
      });
    }

    it("refuses a suspended partner within 60 s", async () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      try {
        const p = await provisionPartner();
        const token = await tokenFor(p);
        await suspendPartner(p.id);
        vi.setSystemTime(Date.now() + 61_000);
        expectRefused(await send(token), 403, 14);
      } finally {
        vi.useRealTimers();
      }
    });

    it("refuses a token whose credential was revoked", async () => {
      const p = await provisionPartner();
      const token = await tokenFor(p);
      const list = await call("GET", "/v1/partner/credentials", { token });
      const credentialId = list.body.result.data[0].id;
      const revoked = await call("DELETE", `/v1/partner/credentials/${credentialId}`, { token });
      expect(revoked.res.status).toBe(200);
      expectRefused(await send(token), 401, 11, WWW_AUTHENTICATE.invalid);
    });

    it("answers an entitled partner", async () => {
      const p = await provisionPartner();
      await route.prepare?.(p);
      const id = route.createOwned ? await route.createOwned(p, await tokenFor(p)) : crypto.randomUUID();
      const r = await send(await tokenFor(p, route.scope), id);
      expect(r.res.status).toBe(route.okStatus ?? 200);
      if (route.envelope !== false) expect(r.body.error).toBeNull();
      expectSafeHeaders(r.res, route.path);
    });

    if (route.createOwned) {
      const createOwned = route.createOwned;
      it("answers another partner's object exactly as an unknown one: 404", async () => {
        const owner = await provisionPartner();
        const id = await createOwned(owner, await tokenFor(owner));
        const intruder = await provisionPartner();
        const token = await tokenFor(intruder);
        const foreign = await send(token, id);
        const unknownId = route.unknownId?.() ?? crypto.randomUUID();
        const unknown = await send(token, unknownId);
        expectRefused(foreign, 404, 30);
        expectRefused(unknown, 404, 30);
        expect(foreign.body.error.message.replace(id, "ID")).toBe(
          unknown.body.error.message.replace(unknownId, "ID"),
        );
      });
    }
  });
}
