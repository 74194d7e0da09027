import { OAuthError } from "../../../platform/oauth-error";

/** The scopes asked for, each one the contract grants; none asked: all of them. */
export function grantedScopes(requested: string | undefined, allowed: readonly string[]): string[] {
  if (requested === undefined || requested.trim() === "") return [...allowed];
  const wanted = [...new Set(requested.trim().split(/\s+/))];
  const unknown = wanted.filter((s) => !allowed.includes(s));
  if (unknown.length > 0)
    throw new OAuthError("invalid_scope", `Scope not granted by the contract: ${unknown.join(" ")}`);
  return wanted;
}
