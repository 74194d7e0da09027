#!/usr/bin/env bash
# The SDK's types (sdk/typescript/src/generated/openapi.d.ts) from the OpenAPI document, by openapi-typescript.
#   bash scripts/sdk-generate.sh          regenerate it (npm run sdk:generate)
#   bash scripts/sdk-generate.sh --check  fail unless it is what the document gives now (npm run typecheck)
# The file is committed: it is part of the package partners get. `--default-non-nullable false` keeps request
# fields that have defaults (capture, metadata) optional, as for the suite's client (npm run client:generate).
set -euo pipefail
cd "$(dirname "$0")/.."

FILE=sdk/typescript/src/generated/openapi.d.ts

generate() { # output path
  npx openapi-typescript dist/openapi.json --default-non-nullable false -o "$1" >/dev/null
}

npm run -s openapi:export

if [[ "${1:-}" != "--check" ]]; then
  generate "$FILE"
  echo "wrote $FILE"
  exit 0
fi

tmp="dist/sdk-openapi.check-$$.d.ts"
trap 'rm -f "$tmp"' EXIT
generate "$tmp"
if ! diff -u "$FILE" "$tmp" >&2; then
  echo "$FILE is not what /openapi.json gives now: run npm run sdk:generate" >&2
  exit 1
fi
echo "$FILE is current"
