// The local issuer of the admin API (docs/admin.md): `npm run admin-token -- --email you@bank [--role admin]`.
// Signs a Cloudflare Access-shaped assertion (RS256, the local team's issuer, the AUD in .dev.vars)
// with the private key kept in .dev.vars, and with --role grants that role to the identity in the
// local D1. Print it, then: curl -H "Cf-Access-Jwt-Assertion: $TOKEN" http://127.0.0.1:8787/admin/v1/me
//   --ttl SECONDS (default 3600) · --persist-to DIR (the local D1's directory)
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { importJWK, SignJWT } from "jose";
import { ROLES, type Role } from "../src/modules/admin/model";
import { ensureDevVars } from "./lib/dev-vars";
import { applyMigrations, type D1Target, executeSql } from "./lib/wrangler";

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    role: { type: "string" },
    ttl: { type: "string", default: "3600" },
    "persist-to": { type: "string" },
  },
});

const fail = (msg: string): never => {
  console.error(msg);
  process.exit(2);
};

const email = (values.email ?? fail("--email is required")).toLowerCase();
if (!/^[^\s@']+@[^\s@']+$/.test(email)) fail(`not an email: ${email}`);
const role = values.role;
if (role !== undefined && !(ROLES as readonly string[]).includes(role)) fail(`--role: ${ROLES.join("|")}`);
const ttl = Number(values.ttl);
if (!Number.isInteger(ttl) || ttl < 60 || ttl > 86_400) fail("--ttl: 60–86400 seconds");

const vars = await ensureDevVars();
const team = vars.ACCESS_TEAM_DOMAIN ?? fail(".dev.vars has no ACCESS_TEAM_DOMAIN");
const aud = vars.ACCESS_AUD ?? fail(".dev.vars has no ACCESS_AUD");
const jwk = JSON.parse(vars.ACCESS_LOCAL_PRIVATE_KEY ?? fail(".dev.vars has no ACCESS_LOCAL_PRIVATE_KEY"));

if (role !== undefined) {
  const target: D1Target = {
    env: "sandbox",
    ...(values["persist-to"] ? { persistTo: values["persist-to"] } : {}),
  };
  await applyMigrations(target);
  const dir = mkdtempSync(join(tmpdir(), "portico-admin-"));
  const file = join(dir, "identity.sql");
  // The email was checked above (no quote can reach the statement); the role is one of ROLES.
  writeFileSync(
    file,
    `INSERT INTO admin_identities (identity, role, created_by) VALUES ('${email}', '${role as Role}', 'npm run admin-token') ON CONFLICT (identity) DO UPDATE SET role = excluded.role, disabled_at = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now');\n`,
  );
  try {
    await executeSql(target, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.error(`${email} holds the ${role} role in the local D1`);
}

const now = Math.floor(Date.now() / 1000);
const sub = await crypto.subtle
  .digest("SHA-256", new TextEncoder().encode(email))
  .then((d) => Buffer.from(d).toString("hex").slice(0, 32));
const token = await new SignJWT({ email, type: "app", identity_nonce: crypto.randomUUID() })
  .setProtectedHeader({ alg: "RS256", kid: jwk.kid })
  .setIssuer(`https://${team}`)
  .setAudience([aud])
  .setSubject(sub)
  .setIssuedAt(now)
  .setNotBefore(now)
  .setExpirationTime(now + ttl)
  .sign(await importJWK(jwk, "RS256"));
console.log(token);
