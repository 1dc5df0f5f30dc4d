#!/bin/sh
# Builds the workbench served at /explore into graph_api/api/static/explore/ (or the folder given as $1, which
# `make explore-check` compares with the committed one), from the versions pinned in package-lock.json (npm ci).
# The service then loads nothing from a CDN, and neither the wheel nor `make run` needs npm. Run after
# changing src/ or package.json (then `npm install` to update the lock), and commit the output with SHA256SUMS
# (tests/test_explore.py checks them).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/../../graph_api/api/static/explore"}
cd "$here"
npm ci --no-audit --no-fund --silent
mkdir -p "$out"
# One ES-module bundle; no source map, so the output is the same bytes on every machine.
node_modules/.bin/esbuild src/main.js --bundle --format=esm --minify --target=es2022 --legal-comments=none \
  --log-level=warning --outfile="$out/explore.js"
cp src/index.html src/explore.css "$out/"
{
  for p in cytoscape read-excel-file write-excel-file fflate esbuild; do
    printf '%s %s (%s)\n' "$p" "$(node -p "require('./node_modules/$p/package.json').version")" \
      "$(node -p "require('./node_modules/$p/package.json').license")"
  done
} > "$out/VERSIONS"
printf -- '---- cytoscape (bundled in explore.js)\n' > "$out/LICENSES" && cat node_modules/cytoscape/LICENSE >> "$out/LICENSES"
# The XLSX reader and writer of the batch check (sanction.js), and the zip library both use.
for p in read-excel-file write-excel-file fflate; do
  printf -- '\n---- %s (bundled in explore.js)\n' "$p" >> "$out/LICENSES" && cat "node_modules/$p/LICENSE" >> "$out/LICENSES"
done
cd "$out" && sha256sum index.html explore.css explore.js > SHA256SUMS
