#!/usr/bin/env bash
# Build the real Pulumi CLI offline (only the Go module proxy is needed) and cache it OUTSIDE the repo.
#
#   BIN=$(bash scripts/build-pulumi-cli.sh | tail -1)
#
# Produces, in ${PULUMI_SIP_TRUNKS_CACHE:-$HOME/.cache/pulumi-sip-trunks}/pulumi-<CLI>-langhost-<LH>/bin:
#   pulumi                          github.com/pulumi/pulumi/pkg/v3/cmd/pulumi (wrapper module, version-stamped)
#   pulumi-language-nodejs          github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 at the
#                                   release commit's pseudo-version (or the legacy fallback, see below)
#   pulumi-resource-pulumi-nodejs   copied from node_modules/@pulumi/pulumi (dynamic-provider plugin shim)
# The directory is named after what was actually built: <CLI> is the CLI version (the wanted one, or the
# fallback the module proxy served) and <LH> the language host's (<CLI> when built from the release commit,
# else the legacy sdk/v3 version). The wanted version (that of the pinned node_modules/@pulumi/pulumi, or
# PULUMI_CLI_VERSION) maps to that directory through the one-line file <cache>/for-<wanted>, which
# scripts/lib/pulumi.js reads too. Go's module and build caches stay at the Go defaults
# (go env GOMODCACHE / GOCACHE), also outside the repo.
#
# Only the LAST stdout line matters: the absolute bin directory. Everything else goes to stderr.
#
# Environment knobs (all optional):
#   PULUMI_SIP_TRUNKS_CACHE         cache root (default $HOME/.cache/pulumi-sip-trunks)
#   PULUMI_CLI_VERSION              build this CLI version instead of the @pulumi/pulumi version (no fallback)
#   PULUMI_CLI_FALLBACK_VERSIONS    space-separated CLI versions to try, in order, when the module proxy refuses
#                                   the pinned version (default "v3.276.0 v3.259.0": pkg/v3 releases known to be
#                                   served by the proxy reachable from this project's machines, newest first)
#   PULUMI_LANGHOST_LEGACY_SDK_VERSION
#                                   sdk/v3 release that still embeds nodejs/cmd/pulumi-language-nodejs, used
#                                   when the (untagged) language-host module cannot be fetched (default v3.68.0)
#   PULUMI_CLI_REBUILD=1            ignore the cached binaries
#   PULUMI_CLI_BUILD_JOBS           go build -p value (default: nproc, at most 2)
set -euo pipefail

log() { printf '[build-pulumi-cli] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
NM_PULUMI="$REPO_ROOT/node_modules/@pulumi/pulumi"
[[ -f "$NM_PULUMI/package.json" ]] || die "$NM_PULUMI/package.json not found: run 'npm ci' first"

SDK_VERSION="v$(sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' "$NM_PULUMI/package.json" | head -1)"
[[ "$SDK_VERSION" =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]] || die "cannot read the @pulumi/pulumi version (got '$SDK_VERSION')"

WANT_VERSION="${PULUMI_CLI_VERSION:-$SDK_VERSION}"
CACHE_ROOT="${PULUMI_SIP_TRUNKS_CACHE:-$HOME/.cache/pulumi-sip-trunks}"
mkdir -p "$CACHE_ROOT"
CACHE_ROOT=$(cd "$CACHE_ROOT" && pwd)
POINTER="$CACHE_ROOT/for-$WANT_VERSION"   # holds the name of the directory built for WANT_VERSION
OUT=""
BIN=""
SHIM_SRC="$NM_PULUMI/pulumi-resource-pulumi-nodejs"

case "$CACHE_ROOT/" in
  "$REPO_ROOT"/*) die "the cache ($CACHE_ROOT) must be outside the repository ($REPO_ROOT)";;
esac

# Keep the dynamic-provider shim in sync with node_modules (cheap, so done on every call).
install_shim() {
  if ! cmp -s "$SHIM_SRC" "$BIN/pulumi-resource-pulumi-nodejs" 2>/dev/null; then
    cp "$SHIM_SRC" "$BIN/pulumi-resource-pulumi-nodejs.tmp"
    chmod 0755 "$BIN/pulumi-resource-pulumi-nodejs.tmp"
    mv -f "$BIN/pulumi-resource-pulumi-nodejs.tmp" "$BIN/pulumi-resource-pulumi-nodejs"
  fi
  chmod 0755 "$BIN/pulumi-resource-pulumi-nodejs"
}

# Points OUT/BIN at the directory recorded for WANT_VERSION (fails when there is none).
use_pointer() {
  local name
  name=$(cat "$POINTER" 2>/dev/null) || return 1
  [[ "$name" =~ ^pulumi-v[0-9][^/]*$ ]] || return 1
  OUT="$CACHE_ROOT/$name"
  BIN="$OUT/bin"
}

# The cache is valid when all three binaries exist and `pulumi version` prints the version recorded at build time.
cached_ok() {
  [[ "${PULUMI_CLI_REBUILD:-}" != 1 ]] || return 1
  use_pointer || return 1
  [[ -x "$BIN/pulumi" && -x "$BIN/pulumi-language-nodejs" && -f "$BIN/.cli-version" ]] || return 1
  local want got
  want=$(cat "$BIN/.cli-version")
  # An explicit PULUMI_CLI_VERSION is never satisfied by a fallback build recorded for the same version.
  [[ -z "${PULUMI_CLI_VERSION:-}" || "$want" == "$PULUMI_CLI_VERSION" ]] || return 1
  got=$(PULUMI_SKIP_UPDATE_CHECK=true PULUMI_HOME="$OUT/pulumi-home" "$BIN/pulumi" version 2>/dev/null | tail -1) || return 1
  [[ -n "$want" && "$got" == "$want" ]]
}

if cached_ok; then
  install_shim
  log "cached: $BIN (pulumi $(cat "$BIN/.cli-version"), language host $(cat "$BIN/.langhost-version" 2>/dev/null || echo '?'))"
  echo "$BIN"
  exit 0
fi

# Serialise concurrent builds (e.g. two test runs; two cores do not gain from parallel Go builds anyway).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE_ROOT/.build.lock"
  log "taking the build lock $CACHE_ROOT/.build.lock (waits if another build is running)"
  flock 9
  if cached_ok; then
    install_shim
    log "built by another process: $BIN"
    echo "$BIN"
    exit 0
  fi
fi

command -v go >/dev/null 2>&1 || die "go is not installed (need Go >= 1.21; GOTOOLCHAIN=auto fetches a newer one if needed)"
if command -v node >/dev/null 2>&1; then NODE=node; else NODE="$REPO_ROOT/node_modules/.bin/node"; fi
[[ -x "$(command -v "$NODE" || true)" ]] || die "node is needed to parse 'go mod download -json' output"

export GOTOOLCHAIN=auto      # the release go.mod may ask for a newer Go than the one installed
export GOFLAGS="-mod=mod -buildvcs=false"
export GOWORK=off
export CGO_ENABLED="${CGO_ENABLED:-0}"
NCPU=$(nproc 2>/dev/null || echo 2)
JOBS="${PULUMI_CLI_BUILD_JOBS:-$(( NCPU < 2 ? NCPU : 2 ))}"
log "go: $(go version) (GOMODCACHE=$(go env GOMODCACHE), GOCACHE=$(go env GOCACHE)), build jobs: $JOBS"

# Build into a private directory; it gets its final name (what was built) once both binaries exist.
OUT="$CACHE_ROOT/.building-$WANT_VERSION-$$"
BIN="$OUT/bin"
WORK="$OUT/build"
rm -rf "$OUT"
trap 'rm -rf "$OUT"' EXIT
mkdir -p "$WORK" "$BIN"

# json_get FILE EXPR: print a field of a JSON file ("" if missing). EXPR is a JS expression over `j`.
json_get() {
  "$NODE" -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); const v=(function(){try{return eval(process.argv[2])}catch(e){return undefined}})(); process.stdout.write(v==null?"":String(v))' "$1" "$2"
}

# mod_download MOD@VER OUTFILE: `go mod download -json`; returns non-zero (and logs) when the proxy refuses it.
mod_download() {
  go mod download -json "$1" >"$2" 2>"$2.err" || true
  local err
  err=$(json_get "$2" 'j.Error' 2>/dev/null || true)
  if [[ -n "$err" || ! -s "$2" ]]; then
    log "cannot download $1: ${err:-$(cat "$2.err")}"
    return 1
  fi
}

# nonrelative_replaces GOMODFILE: print the replace directives whose target is a module (not ./ or ../ paths),
# one per line as "OLD[ VER] => NEW VER".
nonrelative_replaces() {
  awk '
    /^replace[[:space:]]*\(/ { inblock=1; next }
    inblock && /^\)/        { inblock=0; next }
    inblock                 { line=$0 }
    !inblock && /^replace[[:space:]]/ { line=$0; sub(/^replace[[:space:]]+/, "", line) }
    line != "" {
      sub(/\/\/.*/, "", line); gsub(/^[[:space:]]+|[[:space:]]+$/, "", line)
      split(line, parts, /[[:space:]]*=>[[:space:]]*/)
      if (parts[2] != "" && parts[2] !~ /^\.\.?\// && parts[2] !~ /^\//) print line
      line=""
    }' "$1"
}

# write_wrapper DIR GO_DIRECTIVE "REQ1 VER1" ... -- GOMOD_FILES...: generate a wrapper go.mod that requires the
# given modules and repeats the non-relative replaces of the given go.mod files (first one wins per module path).
write_wrapper() {
  local dir=$1 godir=$2; shift 2
  local reqs=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do reqs+=("$1"); shift; done
  shift
  mkdir -p "$dir"
  {
    echo "module local/pulumi-cli-build"
    echo
    echo "go $godir"
    echo
    echo "require ("
    local r; for r in "${reqs[@]}"; do echo "	$r"; done
    echo ")"
    echo
    echo "replace ("
    local f; for f in "$@"; do nonrelative_replaces "$f"; done | awk '{ key=$1; if ($2 != "=>") key=key" "$2; if (!(key in seen)) { seen[key]=1; print "\t" $0 } }'
    echo ")"
  } >"$dir/go.mod"
  log "wrapper $dir/go.mod:"
  sed 's/^/    /' "$dir/go.mod" >&2
}

go_directive() { sed -n 's/^go[[:space:]]\+\([0-9.]*\).*/\1/p' "$1" | head -1; }

T0=$(date +%s)

# ---------------------------------------------------------------------------------------------------------------
# 1. pulumi (pkg/v3/cmd/pulumi)
# ---------------------------------------------------------------------------------------------------------------
candidates=("$WANT_VERSION")
if [[ -z "${PULUMI_CLI_VERSION:-}" ]]; then
  for v in ${PULUMI_CLI_FALLBACK_VERSIONS-v3.276.0 v3.259.0}; do [[ "$v" == "$WANT_VERSION" ]] || candidates+=("$v"); done
fi
CLI_VERSION=""
for v in "${candidates[@]}"; do
  log "resolving github.com/pulumi/pulumi/pkg/v3@$v and sdk/v3@$v"
  if mod_download "github.com/pulumi/pulumi/pkg/v3@$v" "$WORK/pkg.json" &&
     mod_download "github.com/pulumi/pulumi/sdk/v3@$v" "$WORK/sdk.json"; then
    CLI_VERSION=$v
    break
  fi
done
[[ -n "$CLI_VERSION" ]] || die "no Pulumi CLI version could be fetched from the Go module proxy (tried: ${candidates[*]})"
if [[ "$CLI_VERSION" != "$WANT_VERSION" ]]; then
  log "WARNING: the module proxy refuses pkg/v3@$WANT_VERSION; building the CLI at $CLI_VERSION instead" \
      "(@pulumi/pulumi stays at $SDK_VERSION; the engine/SDK protocol is compatible across 3.x)"
fi
PKG_GOMOD=$(json_get "$WORK/pkg.json" 'j.GoMod')
SDK_GOMOD=$(json_get "$WORK/sdk.json" 'j.GoMod')
GO_DIRECTIVE=$(go_directive "$PKG_GOMOD")

write_wrapper "$WORK/cli" "$GO_DIRECTIVE" \
  "github.com/pulumi/pulumi/pkg/v3 $CLI_VERSION" "github.com/pulumi/pulumi/sdk/v3 $CLI_VERSION" -- "$PKG_GOMOD" "$SDK_GOMOD"
LDFLAGS="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$CLI_VERSION"
TAGS="osusergo,grpcnotrace"
(
  cd "$WORK/cli"
  log "go get github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$CLI_VERSION (downloads the dependency tree)"
  go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$CLI_VERSION" >&2
  log "go build pulumi $CLI_VERSION"
  go build -p "$JOBS" -tags "$TAGS" -ldflags "$LDFLAGS" -o "$BIN/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
)
mv -f "$BIN/pulumi.tmp" "$BIN/pulumi"
T1=$(date +%s)
log "pulumi built in $((T1 - T0))s"

# ---------------------------------------------------------------------------------------------------------------
# 2. pulumi-language-nodejs
# ---------------------------------------------------------------------------------------------------------------
LANGHOST_MOD="github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3"
LANGHOST_VERSION=""
LANGHOST_TAG=""
COMMIT=$(json_get "$WORK/pkg.json" 'j.Origin && j.Origin.Hash')
[[ -n "$COMMIT" ]] || COMMIT=$(json_get "$WORK/sdk.json" 'j.Origin && j.Origin.Hash')
build_modern_langhost() {
  [[ -n "$COMMIT" ]] || { log "the proxy gave no Origin.Hash for pkg/sdk $CLI_VERSION: cannot find the release commit"; return 1; }
  log "release commit of $CLI_VERSION: $COMMIT; resolving $LANGHOST_MOD@$COMMIT"
  go list -m -json "$LANGHOST_MOD@$COMMIT" >"$WORK/lh-list.json" 2>"$WORK/lh-list.err" || {
    log "cannot resolve $LANGHOST_MOD@$COMMIT: $(cat "$WORK/lh-list.err")"; return 1; }
  local pseudo
  pseudo=$(json_get "$WORK/lh-list.json" 'j.Version')
  mod_download "$LANGHOST_MOD@$pseudo" "$WORK/lh.json" || return 1
  write_wrapper "$WORK/langhost" "$GO_DIRECTIVE" \
    "$LANGHOST_MOD $pseudo" "github.com/pulumi/pulumi/pkg/v3 $CLI_VERSION" "github.com/pulumi/pulumi/sdk/v3 $CLI_VERSION" -- \
    "$(json_get "$WORK/lh.json" 'j.GoMod')" "$PKG_GOMOD" "$SDK_GOMOD"
  (
    cd "$WORK/langhost"
    go get "$LANGHOST_MOD@$pseudo" >&2
    go build -p "$JOBS" -tags "$TAGS" -ldflags "$LDFLAGS" -o "$BIN/pulumi-language-nodejs.tmp" "$LANGHOST_MOD" >&2
  ) || return 1
  LANGHOST_VERSION="$LANGHOST_MOD@$pseudo"
  LANGHOST_TAG="$CLI_VERSION"
}
build_legacy_langhost() {
  local v="${PULUMI_LANGHOST_LEGACY_SDK_VERSION:-v3.68.0}"
  log "falling back to the language host embedded in github.com/pulumi/pulumi/sdk/v3@$v (package sdk/v3/nodejs/cmd/pulumi-language-nodejs)"
  mod_download "github.com/pulumi/pulumi/sdk/v3@$v" "$WORK/legacy-sdk.json" || return 1
  local gomod
  gomod=$(json_get "$WORK/legacy-sdk.json" 'j.GoMod')
  write_wrapper "$WORK/langhost-legacy" "$(go_directive "$gomod")" "github.com/pulumi/pulumi/sdk/v3 $v" -- "$gomod"
  (
    cd "$WORK/langhost-legacy"
    go get "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs@$v" >&2
    go build -p "$JOBS" -tags "$TAGS" -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$v" \
      -o "$BIN/pulumi-language-nodejs.tmp" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs >&2
  ) || return 1
  LANGHOST_VERSION="github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs@$v (legacy fallback)"
  LANGHOST_TAG="$v"
}
if ! build_modern_langhost; then
  build_legacy_langhost || die "could not build pulumi-language-nodejs (see the messages above)"
fi
mv -f "$BIN/pulumi-language-nodejs.tmp" "$BIN/pulumi-language-nodejs"
T2=$(date +%s)
log "pulumi-language-nodejs ($LANGHOST_VERSION) built in $((T2 - T1))s"

# ---------------------------------------------------------------------------------------------------------------
# 3. pulumi-resource-pulumi-nodejs + bookkeeping
# ---------------------------------------------------------------------------------------------------------------
install_shim
echo "$LANGHOST_VERSION" >"$BIN/.langhost-version"
echo "$CLI_VERSION" >"$BIN/.cli-version"   # written last: marks the cache as complete

got=$(PULUMI_SKIP_UPDATE_CHECK=true PULUMI_HOME="$OUT/pulumi-home" "$BIN/pulumi" version | tail -1)
[[ "$got" == "$CLI_VERSION" ]] || die "built pulumi reports '$got', expected $CLI_VERSION"
rm -rf "$WORK" "$OUT/pulumi-home"

# Name the directory after what was built, then record it as the build for WANT_VERSION.
NAME="pulumi-$CLI_VERSION-langhost-$LANGHOST_TAG"
FINAL="$CACHE_ROOT/$NAME"
rm -rf "$FINAL"
mv "$OUT" "$FINAL"
trap - EXIT
printf '%s\n' "$NAME" >"$POINTER.tmp.$$"
mv -f "$POINTER.tmp.$$" "$POINTER"
OUT="$FINAL"
BIN="$OUT/bin"
log "done in $((T2 - T0))s: pulumi $got, language host $LANGHOST_VERSION, in $BIN"
echo "$BIN"
