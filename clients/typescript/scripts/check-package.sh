#!/usr/bin/env bash
# Proves that `npm pack` makes a package an integrator can install and use: packs this package,
# installs the tarball (not this folder) into a new project in a temporary directory, imports
# it from Node (ESM), and compiles examples/handoff-on-webhook there with tsc --strict against
# the installed type declarations. Needs `npm ci` here first (tsc comes from this package).
set -euo pipefail

package_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

cd "$package_dir"
tarball="$(npm pack --silent --pack-destination "$scratch" | tail -1)"
tar -tzf "$scratch/$tarball" > "$scratch/contents"
echo "check-package: packed $tarball ($(wc -l < "$scratch/contents") files)" >&2
for required in package/dist/index.js package/dist/index.d.ts package/dist/convor.d.ts package/package.json; do
  grep -qx "$required" "$scratch/contents" || { echo "check-package: $required is not in the tarball" >&2; exit 1; }
done

project="$scratch/example"
mkdir -p "$project"
cp -R examples/handoff-on-webhook/src examples/handoff-on-webhook/tsconfig.json "$project/"
sed 's|"file:../.."|"file:../'"$tarball"'"|' examples/handoff-on-webhook/package.json > "$project/package.json"
(cd "$project" && npm install --no-audit --no-fund --silent >&2)
[ -L "$project/node_modules/@convor/client" ] && { echo "check-package: npm linked instead of installing the tarball" >&2; exit 1; }

(cd "$project" && node --input-type=module -e '
  const client = await import("@convor/client");
  for (const name of ["createConvorClient", "ConvorApiError", "ConvorTimeoutError", "Pager"])
    if (typeof client[name] !== "function") throw new Error(`@convor/client exports no ${name}`);
')
(cd "$project" && "$package_dir/node_modules/.bin/tsc" -p tsconfig.json --strict)
echo "check-package: the tarball installs, imports as ESM and compiles the example with its declarations" >&2
