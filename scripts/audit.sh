#!/usr/bin/env bash
# `npm run audit:prod`: no high or critical advisory in the production dependencies
# (docs/security.md, "Dependency advisories").
#
#   exit 0  npm audit found nothing at high or critical
#   exit 0  the registry answered that it has no audit endpoint (HTTP 405 to the bulk advisories
#           POST, npm's "audit endpoint returned an error"): the written exception is printed
#   exit 1  an advisory at high or critical, or any other failure (network, 5xx, 404, unparsable
#           output): nothing else is excused
set -uo pipefail
cd "$(dirname "$0")/.."

out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# --loglevel: `npm run -s` would pass on "silent", hiding the error line the exception is told by.
npm audit --omit=dev --audit-level=high --json --loglevel=warn >"$out" 2>"$err"
rc=$?

if [ "$rc" -eq 0 ]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const v = r.metadata?.vulnerabilities ?? {};
    console.log(`npm audit --omit=dev: no high or critical advisory (low ${v.low ?? 0}, moderate ${v.moderate ?? 0}).`);
  ' "$out" || echo "npm audit --omit=dev: no high or critical advisory."
  exit 0
fi

# The one exception: npm printed its endpoint-error object (no audit report) for a 405 to the bulk
# advisories endpoint, and ended with ENOAUDIT's message. Both must hold.
if grep -q "audit endpoint returned an error" "$err" && node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const path = (() => { try { return new URL(r.uri).pathname; } catch { return ""; } })();
  const unsupported =
    r.statusCode === 405 &&
    r.method === "POST" &&
    path.endsWith("/-/npm/v1/security/advisories/bulk") &&
    !("vulnerabilities" in r) &&
    !("auditReportVersion" in r);
  process.exit(unsupported ? 0 : 1);
' "$out" 2>/dev/null; then
  echo "npm audit --omit=dev: the registry does not offer the audit endpoint ($(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).message' "$out"))."
  echo "The written exception applies (docs/security.md):"
  echo
  awk '/<!-- audit-exception:start -->/{on=1; next} /<!-- audit-exception:end -->/{on=0} on' docs/security.md
  exit 0
fi

# An advisory: name each vulnerable package with its severity and titles, then fail.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  if (!r.vulnerabilities) process.exit(1);
  for (const [name, v] of Object.entries(r.vulnerabilities)) {
    const titles = v.via.filter((x) => typeof x === "object").map((x) => `${x.title} (${x.url})`);
    console.error(`${v.severity.padEnd(8)} ${name} ${v.range}${titles.length ? `: ${titles.join("; ")}` : ""}`);
  }
' "$out" 2>&1 || { cat "$out"; cat "$err"; } >&2
echo "npm audit --omit=dev failed (exit $rc): a high or critical advisory, or the audit could not run." >&2
exit 1
