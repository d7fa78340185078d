#!/usr/bin/env bash
# Fails when the committed openapi.json or src/convor-client.ts differ from what the API in
# this working tree generates now (run scripts/generate.sh and commit the result to fix).
set -euo pipefail

package_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

"$package_dir/scripts/generate.sh" "$scratch"

status=0
for file in openapi.json src/convor-client.ts; do
  if ! diff -u --label "committed $file" --label "generated $file" "$package_dir/$file" "$scratch/$file"; then
    status=1
  fi
done
if [ "$status" -ne 0 ]; then
  echo "check-generated: the committed client is stale; run clients/typescript/scripts/generate.sh and commit." >&2
else
  echo "check-generated: openapi.json and src/convor-client.ts match the API." >&2
fi
exit "$status"
