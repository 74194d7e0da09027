#!/usr/bin/env bash
# The bindings type (worker-configuration.d.ts) from wrangler.toml, by `wrangler types`.
#   bash scripts/worker-types.sh          regenerate it
#   bash scripts/worker-types.sh --check  fail unless it is what wrangler.toml gives now, for every environment
# Runtime types stay @cloudflare/workers-types' (--include-runtime false); vars are typed `string`
# (--strict-vars false), as their values differ by environment. Secrets are not in wrangler.toml:
# src/platform/env.ts declares them. `--env-file /dev/null` keeps a developer's .dev.vars (and the process
# environment) out of the generated type, so every machine writes the same file.
set -euo pipefail
cd "$(dirname "$0")/.."

FILE=worker-configuration.d.ts
ENVIRONMENTS=(sandbox production)

generate() { # environment, output path
  CLOUDFLARE_INCLUDE_PROCESS_ENV=false WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false \
    npx wrangler types "$2" --env "$1" --include-runtime false --strict-vars false \
    --env-interface WorkerBindings --env-file /dev/null >/dev/null
}

if [[ "${1:-}" != "--check" ]]; then
  generate sandbox "$FILE"
  echo "wrote $FILE"
  exit 0
fi

# Beside the real file, as the generated import paths (./src/index) are relative to it; a name
# that does not exist yet, as wrangler overwrites only files it wrote.
tmp="worker-configuration.check-$$.d.ts"
trap 'rm -f "$tmp"' EXIT
# Bindings only production has (the control plane's service binding to the sandbox Worker, the
# applications' documents bucket): the
# generated file is the sandbox's, and src/platform/env.ts declares these as optional.
PRODUCTION_ONLY='^\s*(SANDBOX|DOCUMENTS): '
for env in "${ENVIRONMENTS[@]}"; do
  generate "$env" "$tmp"
  if [[ "$env" == production ]]; then sed -i -E "/$PRODUCTION_ONLY/d" "$tmp"; fi
  # Line 2 records the command line (environment, output path); the rest must match exactly. Both
  # environments must give the same type: the Worker's code is the same in each.
  if ! diff -u <(sed 2d "$FILE") <(sed 2d "$tmp") >&2; then
    echo "$FILE is not what wrangler.toml gives for --env $env: run npm run types:generate" >&2
    exit 1
  fi
done
echo "$FILE is current"
