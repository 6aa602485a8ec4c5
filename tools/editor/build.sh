#!/usr/bin/env bash
# Builds the back office's body editor from the pinned npm packages into one
# file: themes/admin/static/editor.js (and editor.css, the stylesheet it
# imports), plus editor.LICENSES.txt with the licence of every package bundled.
# The same lockfile gives the same bytes: CI rebuilds and compares (check.sh).
#
# Usage: tools/editor/build.sh [OUTDIR]   (default: themes/admin/static)
# Needs Node and npm; cargo never runs this, the built files are committed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/themes/admin/static}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cd "$here"

# Exactly what package-lock.json pins; no install scripts (esbuild's binary
# comes in its @esbuild/<platform> package, its postinstall only checks it).
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2

meta="$(mktemp)"
trap 'rm -f "$meta"' EXIT

# The one esbuild command.
./node_modules/.bin/esbuild src/editor.js --bundle --minify --format=iife --target=es2020 --charset=utf8 --legal-comments=none --banner:js='/*! warraq body editor: Tiptap 3 and ProseMirror (MIT), bundled by tools/editor/build.sh; licences in editor.LICENSES.txt */' --banner:css='/*! warraq body editor, built by tools/editor/build.sh from tools/editor/src/editor.css */' --outdir="$out" --metafile="$meta" --log-level=warning

# The licence texts of the packages whose files esbuild bundled.
node - "$meta" "$out/editor.LICENSES.txt" <<'JS'
const fs = require('fs');
const path = require('path');
const [metaPath, outPath] = process.argv.slice(2);
const meta = JSON.parse(fs.readFileSync(metaPath, 'utf8'));
const dirs = new Set();
for (const input of Object.keys(meta.inputs)) {
  const m = input.match(/^(.*?node_modules\/(?:@[^/]+\/)?[^/]+)\//);
  if (m) dirs.add(m[1]);
}
if (dirs.size === 0) throw new Error('esbuild bundled no package: is the metafile right?');
const parts = [];
const byName = [...dirs].map((d) => ({ dir: d, pkg: JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')) }));
byName.sort((a, b) => (a.pkg.name < b.pkg.name ? -1 : a.pkg.name > b.pkg.name ? 1 : 0));
for (const { dir, pkg } of byName) {
  const files = fs.readdirSync(dir).filter((f) => /^licen[cs]e/i.test(f)).sort();
  if (files.length === 0) throw new Error(`${pkg.name}: no LICENSE file in ${dir}`);
  const texts = files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8').replace(/\r\n/g, '\n').trim());
  parts.push(`${'='.repeat(78)}\n${pkg.name} ${pkg.version} (${pkg.license})\n${'='.repeat(78)}\n\n${texts.join('\n\n')}\n`);
}
const head =
  'Third-party software in editor.js (the warraq back office\'s body editor),\n' +
  'bundled by tools/editor/build.sh from the versions pinned in\n' +
  'tools/editor/package-lock.json. The rest of editor.js and editor.css is\n' +
  'warraq\'s own code (tools/editor/src/), under warraq\'s licence, AGPL-3.0-or-later.\n\n' +
  `Packages (${byName.length}): ${byName.map(({ pkg }) => `${pkg.name} ${pkg.version}`).join(', ')}\n\n`;
fs.writeFileSync(outPath, head + parts.join('\n'));
JS

for f in editor.js editor.css editor.LICENSES.txt; do
  printf '%s  %8d bytes  %s\n' "$(sha256sum "$out/$f" | cut -c1-16)" "$(wc -c <"$out/$f")" "$out/$f" >&2
done
