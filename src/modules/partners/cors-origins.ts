/** At most this many origins per contract: a list of the partner's own web apps, not a directory. */
export const MAX_CORS_ORIGINS = 20;

// A DNS name (IDNs as the browser sends them, in punycode) or a bracketed IPv6 address: no `*`.
const HOST = /^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/;

/**
 * A contract's browser origins, checked: each exactly as a browser sends it in `Origin`
 * (`https://host` or `https://host:port`, lower case, no default port, path, slash, wildcard or
 * credentials), at most 20, no repeats. Anything else throws, naming the value.
 */
export function parseCorsOrigins(values: readonly string[]): string[] {
  if (values.length > MAX_CORS_ORIGINS)
    throw new Error(`at most ${MAX_CORS_ORIGINS} CORS origins per contract, got ${values.length}`);
  const seen = new Set<string>();
  for (const value of values) {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== "https:" || url.origin !== value || !HOST.test(url.hostname))
      throw new Error(`not an exact https origin (https://host[:port]): ${JSON.stringify(value)}`);
    if (seen.has(value)) throw new Error(`CORS origin listed twice: ${value}`);
    seen.add(value);
  }
  return [...seen];
}
