import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { exportJWK, generateKeyPair } from "jose";

/** A fresh private ES256 JWK with a dated kid. */
export async function newSigningKey(): Promise<Record<string, unknown>> {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  return {
    ...(await exportJWK(privateKey)),
    kid: `local-${new Date().toISOString().slice(0, 10)}-${Math.random().toString(36).slice(2, 8)}`,
  };
}

export function parseVars(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (m?.[1]) vars[m[1]] = (m[2] ?? "").replace(/^'(.*)'$/, "$1").replace(/^"(.*)"$/, "$1");
  }
  return vars;
}

/**
 * The local issuer that stands in for Cloudflare Access (docs/admin.md): an RS256 key pair. The
 * private JWK stays in .dev.vars for `npm run admin-token`; the Worker gets only the public JWKS.
 */
export async function newAccessKeyPair(): Promise<{ privateJwk: string; jwks: string }> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = `local-access-${new Date().toISOString().slice(0, 10)}`;
  const pub = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  return {
    privateJwk: JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: "RS256" }),
    jwks: JSON.stringify({ keys: [pub] }),
  };
}

/**
 * `.dev.vars` from the committed example on first run, plus a generated signing key, webhook
 * sealing key and local Access issuer.
 * Existing values are kept, so tokens survive restarts.
 */
export async function ensureDevVars(
  path = ".dev.vars",
  example = ".dev.vars.example",
): Promise<Record<string, string>> {
  const template = readFileSync(example, "utf8");
  let text = existsSync(path) ? readFileSync(path, "utf8") : template;
  // Settings added to the example since this .dev.vars was made join it; local edits stay.
  const have = parseVars(text);
  for (const [name, value] of Object.entries(parseVars(template))) {
    if (!(name in have)) text += `\n${name}=${value}\n`;
  }
  if (!parseVars(text).JWT_SIGNING_KEYS) {
    text += `\nJWT_SIGNING_KEYS='${JSON.stringify([await newSigningKey()])}'\n`;
  }
  if (!parseVars(text).WEBHOOK_SECRETS_KEY) {
    text += `\nWEBHOOK_SECRETS_KEY='${randomBytes(32).toString("base64")}'\n`;
  }
  if (!parseVars(text).ACCESS_JWKS || !parseVars(text).ACCESS_LOCAL_PRIVATE_KEY) {
    const { privateJwk, jwks } = await newAccessKeyPair();
    text += `\nACCESS_JWKS='${jwks}'\nACCESS_LOCAL_PRIVATE_KEY='${privateJwk}'\n`;
  }
  writeFileSync(path, text, { mode: 0o600 });
  return parseVars(text);
}
