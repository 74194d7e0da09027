// Keys whose values never enter the audit log, at any depth: secrets, their hashes, tokens.
const SECRET_KEY = /secret|hash|token|password|private|sealed|authorization|assertion|^d$/i;
/** Members whose names look secret but are not: a contract's switch, a registration's list of method names. */
const NOT_SECRET = new Set(["password_grant", "token_endpoint_auth_methods"]);

/** A copy of `value` with every secret-looking member replaced: what an audit diff may hold. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && !NOT_SECRET.has(key) ? "[REDACTED]" : withoutSecrets(inner);
  }
  return out;
}
