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
 * `.dev.vars` from the committed example on first run, plus a generated signing key and
 * webhook sealing key.
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
  writeFileSync(path, text, { mode: 0o600 });
  return parseVars(text);
}
