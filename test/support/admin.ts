import { env } from "cloudflare:workers";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { expect } from "vitest";
import { createApp } from "../../src/app";
import { accessCertsUrl } from "../../src/modules/admin/access";
import { adminIdentities } from "../../src/modules/admin/storage";
import type { Env } from "../../src/platform/env";
import { type Call, fetchWithEnv } from "./http";
import { db } from "./partners";

// The local issuer, as `npm run admin-token` is locally: an RSA key pair, its public half the JWKS.
const TEAM = "portico-test.cloudflareaccess.com";
export const ACCESS_ISSUER = `https://${TEAM}`;
export const ACCESS_AUD = "3f6a5b1c9d2e4f708192a3b4c5d6e7f80123456789abcdef0123456789abcdef";

async function rsaKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } as JWK };
}
const issuer = await rsaKey("local-access-1");
/** Another key, unknown to the JWKS: what a forger signs with. */
export const forgerKey = await rsaKey("local-access-1");

/** The admin API's settings with the local issuer; the worker's own env has none of them. */
export const ADMIN_ENV: Partial<Env> = {
  ACCESS_TEAM_DOMAIN: TEAM,
  ACCESS_AUD,
  ACCESS_JWKS: JSON.stringify({ keys: [issuer.publicJwk] }),
};

/**
 * Production refuses a local JWKS: it fetches the team's certs from Access, as deployed. In the
 * control-plane project the test isolate's fetch answers that one URL with the local issuer's
 * public key (every other request goes out untouched), so the same remote-JWKS path runs.
 */
export const PRODUCTION_ADMIN_ENV: Partial<Env> = { ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD };
export function serveAccessCerts() {
  const real = globalThis.fetch;
  const certs = accessCertsUrl(TEAM);
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url === certs)
      return Promise.resolve(
        new Response(JSON.stringify({ keys: [issuer.publicJwk] }), {
          headers: { "Content-Type": "application/json" },
        }),
      );
    return real(input, init);
  }) as typeof fetch;
}

/** A Cloudflare Access assertion for `email`; override to make it wrong in one way. */
export async function accessToken(
  email: string,
  opts: {
    key?: CryptoKey;
    iss?: string;
    aud?: string | string[];
    exp?: number;
    iat?: number;
    sub?: string;
    claims?: Record<string, unknown>;
    alg?: string;
  } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const iat = opts.iat ?? now;
  return new SignJWT({ email, type: "app", identity_nonce: crypto.randomUUID(), ...opts.claims })
    .setProtectedHeader({ alg: opts.alg ?? "RS256", kid: "local-access-1" })
    .setIssuer(opts.iss ?? ACCESS_ISSUER)
    .setAudience(opts.aud ?? [ACCESS_AUD])
    .setSubject(opts.sub ?? `sub-${email}`)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(opts.exp ?? iat + 3600)
    .sign(opts.key ?? issuer.privateKey);
}

let counter = 0;
/** A fresh identity holding `role` (none when null), and its token. */
export async function admin(
  role: "viewer" | "operator" | "approver" | "admin" | null,
  name = role ?? "nobody",
) {
  counter += 1;
  const email = `${name}-${counter}-${crypto.randomUUID().slice(0, 8)}@bank.test`;
  if (role !== null) await db.insert(adminIdentities).values({ identity: email, role, createdBy: "test" });
  return { email, token: await accessToken(email) };
}

export const adminApp = createApp();

/** A call to the gateway with the admin API configured: the assertion header, a JSON body. */
export function adminCall(
  method: string,
  path: string,
  opts: { token?: string; json?: unknown; headers?: Record<string, string>; env?: Partial<Env> } = {},
): Promise<Call> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token !== undefined) headers["Cf-Access-Jwt-Assertion"] = opts.token;
  let body: string | undefined;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers["Content-Type"] ??= "application/json";
  }
  if (method === "POST" && path.startsWith("/v1/") && !("Idempotency-Key" in headers))
    headers["Idempotency-Key"] = crypto.randomUUID();
  const access = env.ENVIRONMENT === "production" ? PRODUCTION_ADMIN_ENV : ADMIN_ENV;
  return fetchWithEnv(adminApp, { ...access, ...opts.env }, path, { method, headers, body: body ?? null });
}

/**
 * What the admin document says `operationId` answers: each status with the catalogue codes it
 * carries (`x-portico-error-codes`), so a test can check every answer it saw is documented.
 */
export async function documentedAnswers(operationId: string): Promise<Record<string, number[]>> {
  const doc = (await adminCall("GET", "/admin/openapi.json", { token: (await admin("viewer")).token }))
    .body as {
    paths: Record<
      string,
      Record<string, { operationId?: string; responses: Record<string, Record<string, unknown>> }>
    >;
  };
  for (const item of Object.values(doc.paths))
    for (const op of Object.values(item))
      if (op.operationId === operationId)
        return Object.fromEntries(
          Object.entries(op.responses).map(([status, res]) => [
            status,
            (res["x-portico-error-codes"] as number[] | undefined) ?? [],
          ]),
        );
  throw new Error(`no operation ${operationId} in the admin document`);
}

/** Fails unless every `[status, code]` answered is one the operation documents. */
export async function expectDocumented(
  operationId: string,
  answers: readonly (readonly [number, number?])[],
) {
  const documented = await documentedAnswers(operationId);
  for (const [status, code] of answers) {
    expect(Object.keys(documented), `${operationId} ${status}`).toContain(String(status));
    if (code !== undefined) expect(documented[String(status)], `${operationId} ${status}`).toContain(code);
  }
}
