#!/usr/bin/env bash
# CI's check of the committed editor bundle: rebuilds it from the lockfile into
# a temporary folder (tools/editor/build.sh) and compares the sha256 of each
# file with the one in themes/admin/static/. Exits non-zero, naming the file,
# when they differ: then run tools/editor/build.sh and commit what it wrote.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
committed="$root/themes/admin/static"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "== editor bundle: rebuilding tools/editor into $tmp"
bash "$here/build.sh" "$tmp" 2>"$tmp/build.log" || {
  cat "$tmp/build.log" >&2
  echo "tools/editor/check.sh: the build failed (output above)" >&2
  exit 1
}

status=0
for f in editor.js editor.css editor.LICENSES.txt; do
  if [ ! -f "$committed/$f" ]; then
    echo "tools/editor/check.sh: themes/admin/static/$f is missing: run tools/editor/build.sh and commit it" >&2
    status=1
    continue
  fi
  want="$(sha256sum "$tmp/$f" | cut -d' ' -f1)"
  have="$(sha256sum "$committed/$f" | cut -d' ' -f1)"
  if [ "$want" != "$have" ]; then
    echo "tools/editor/check.sh: themes/admin/static/$f is not what tools/editor builds" >&2
    echo "  committed sha256 $have" >&2
    echo "  rebuilt   sha256 $want" >&2
    status=1
  else
    echo "editor bundle: $f matches ($have)"
  fi
done
if [ "$status" -ne 0 ]; then
  echo "tools/editor/check.sh: run tools/editor/build.sh and commit themes/admin/static/editor.{js,css,LICENSES.txt} (with tools/editor/src and the lockfile)" >&2
fi
exit "$status"
