/**
 * Host-name patterns: `hooks.example.com` (that host exactly) or `*.example.com` (any host
 * below example.com, at any depth, but not example.com itself). Pure.
 */

const MAX_NAME_CHARS = 253;
// A DNS label as a URL's host carries it: lower-case letters, digits and inner hyphens, ≤ 63
// characters; an internationalised name arrives as punycode (`xn--…`).
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * One pattern, checked and in canonical (lower-case) form: a fully qualified host name of at
 * least two labels, or `*.` before one (so `*.com` is refused, as is `*` alone, `a.*.com`,
 * `*example.com`, an IP address, a trailing dot, a port or a scheme). Throws, naming the value.
 */
export function parseDomainPattern(text: string): string {
  const quoted = JSON.stringify(text);
  const pattern = text.toLowerCase();
  const wildcard = pattern.startsWith("*.");
  const name = wildcard ? pattern.slice(2) : pattern;
  if (name.length === 0 || name.length > MAX_NAME_CHARS)
    throw new Error(`not a host name or *.suffix: ${quoted}`);
  const labels = name.split(".");
  if (!labels.every((label) => LABEL.test(label)))
    throw new Error(`not a host name or *.suffix (letters, digits, hyphens; punycode for IDNs): ${quoted}`);
  if (labels.length < 2)
    throw new Error(`${wildcard ? "the suffix" : "the host"} needs at least two labels: ${quoted}`);
  if (/^\d+$/.test(labels[labels.length - 1] ?? ""))
    throw new Error(`an IP address is not a host name: ${quoted}`);
  return pattern;
}

/** Whether `host` (a URL's lower-case host name, without a trailing dot) matches the canonical `pattern`. */
export function hostMatchesPattern(host: string, pattern: string): boolean {
  if (!pattern.startsWith("*.")) return host === pattern;
  const suffix = pattern.slice(1);
  return host.length > suffix.length && host.endsWith(suffix);
}
