#!/bin/sh
# Vendors the GraphiQL the service serves at /graphql into graph_api/api/static/graphiql/, from the versions
# pinned in package-lock.json (npm ci): the service then loads nothing from a CDN, and neither the wheel nor
# `make run` needs npm. Run after changing package.json (then `npm install` to update the lock), and commit
# the copied files with SHA256SUMS (tests/test_graphiql_offline.py checks them).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../graph_api/api/static/graphiql"
cd "$here"
npm ci --no-audit --no-fund --silent
mkdir -p "$out"
cp node_modules/react/umd/react.production.min.js \
   node_modules/react-dom/umd/react-dom.production.min.js \
   node_modules/graphiql/graphiql.min.js \
   node_modules/graphiql/graphiql.min.css "$out/"
{
  for p in react react-dom graphiql; do
    printf '%s %s (%s)\n' "$p" "$(node -p "require('./node_modules/$p/package.json').version")" \
      "$(node -p "require('./node_modules/$p/package.json').license")"
  done
} > "$out/VERSIONS"
cat node_modules/react/LICENSE > "$out/LICENSES"
printf '\n---- graphiql\n' >> "$out/LICENSES" && cat node_modules/graphiql/LICENSE >> "$out/LICENSES"
cd "$out" && sha256sum react.production.min.js react-dom.production.min.js graphiql.min.js graphiql.min.css > SHA256SUMS
