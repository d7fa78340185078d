#!/usr/bin/env bash
# Fails when the committed openapi.json, src/convor-client.ts or src/convor-operations.ts differ from what the API in
# this working tree generates now (run scripts/generate.sh and commit the result to fix).
set -euo pipefail

package_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

"$package_dir/scripts/generate.sh" "$scratch"

status=0
for file in openapi.json src/convor-client.ts src/convor-operations.ts; do
  if ! diff -u --label "committed $file" --label "generated $file" "$package_dir/$file" "$scratch/$file"; then
    status=1
  fi
done
if [ "$status" -ne 0 ]; then
  echo "check-generated: the committed client is stale; run clients/typescript/scripts/generate.sh and commit." >&2
else
  echo "check-generated: openapi.json, src/convor-client.ts and src/convor-operations.ts match the API." >&2
fi
exit "$status"
