// The console's people in the browser tests: an identity with a role in the gateway's D1, and the
// assertion Cloudflare Access would add to each of their requests, signed by the local issuer the
// way `npm run admin-token` signs it (docs/admin.md). Playwright sends it as Access's edge would.
import { createHash, randomUUID } from "node:crypto";
import { importJWK, SignJWT } from "jose";
import type { Browser, BrowserContext, BrowserContextOptions } from "playwright-core";
import { sql } from "./control";

export interface LocalAccess {
  privateJwk: string;
  team: string;
  aud: string;
}

export async function accessAssertion(access: LocalAccess, email: string): Promise<string> {
  const jwk = JSON.parse(access.privateJwk) as { kid: string };
  const now = Math.floor(Date.now() / 1000);
  const sub = createHash("sha256").update(email).digest("hex").slice(0, 32);
  return new SignJWT({ email, type: "app", identity_nonce: randomUUID() })
    .setProtectedHeader({ alg: "RS256", kid: jwk.kid })
    .setIssuer(`https://${access.team}`)
    .setAudience([access.aud])
    .setSubject(sub)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 3600)
    .sign(await importJWK(jwk, "RS256"));
}

/** A platform-team member with `role`, and a browser context that reaches the console as them. */
export async function consolePerson(
  browser: Browser,
  origin: string,
  control: { url: string; token: string },
  access: LocalAccess,
  role: "viewer" | "operator" | "approver" | "admin",
  options: BrowserContextOptions = {},
): Promise<{ email: string; context: BrowserContext }> {
  const email = `${role}-${randomUUID().slice(0, 8)}@bank.example`;
  await sql(
    control,
    "INSERT INTO admin_identities (identity, role, created_by) VALUES (?, ?, 'browser test')",
    email,
    role,
  );
  const context = await browser.newContext({
    ...options,
    baseURL: origin,
    extraHTTPHeaders: { "Cf-Access-Jwt-Assertion": await accessAssertion(access, email) },
  });
  return { email, context };
}
