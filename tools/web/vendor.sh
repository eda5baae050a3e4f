#!/usr/bin/env bash
# Copies the pinned JavaScript (package-lock.json) into the resources the reports embed.
# Run after changing a version here; VendoredScriptsTest checks the copies match.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --silent --no-audit --no-fund
target=../../query/src/main/resources/io/wirelake/query/report/vendor
mkdir -p "$target"
cp node_modules/cytoscape/dist/cytoscape.min.js "$target/cytoscape.min.js"
cp node_modules/cytoscape/LICENSE "$target/cytoscape.LICENSE"
echo "vendored cytoscape $(node -p 'require("./node_modules/cytoscape/package.json").version') into $target"
