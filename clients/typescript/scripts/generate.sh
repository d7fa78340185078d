#!/usr/bin/env bash
# Regenerates this package's generated files from the API as it is in this working tree:
#   openapi.json           the API's OpenAPI document (what /swagger/v1/swagger.json serves)
#   src/convor-client.ts   the NSwag TypeScript client (Fetch template), settings in nswag.json
#   src/convor-operations.ts  the error-code union and the list operations' named-parameter
#                          callers, derived from the two above (scripts/generate-operations.mjs;
#                          needs `npm ci` in clients/typescript for the TypeScript compiler)
# No server is started: NSwag (local dotnet tool, see dotnet-tools.json) loads the built API and
# asks its own document generator. Output is deterministic (no timestamps), so a diff means a
# real change.
#
# usage: clients/typescript/scripts/generate.sh [OUT_DIR]
#   OUT_DIR defaults to clients/typescript (used by check-generated.sh to write elsewhere).
#   CONFIGURATION=Release builds and reads that configuration instead of Debug.
set -euo pipefail

package_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo_root="$(cd "$package_dir/../.." && pwd)"
out_dir="$(mkdir -p "${1:-$package_dir}/src" && cd "${1:-$package_dir}" && pwd)"
configuration="${CONFIGURATION:-Debug}"

cd "$repo_root"
dotnet tool restore >/dev/null
dotnet build src/Convor.Api/Convor.Api.csproj -c "$configuration" -nologo -v q >&2
# nswag prints its banner and progress on stdout; keep stdout for callers, show it on failure.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! dotnet nswag run clients/typescript/nswag.json "/variables:Configuration=$configuration,OutDir=$out_dir" >"$log" 2>&1; then
  cat "$log" >&2
  echo "generate.sh: NSwag failed" >&2
  exit 1
fi
node "$package_dir/scripts/generate-operations.mjs" "$out_dir"
echo "generated $out_dir/openapi.json, $out_dir/src/convor-client.ts and $out_dir/src/convor-operations.ts" >&2
