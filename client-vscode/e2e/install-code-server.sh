#!/usr/bin/env bash
# Installs code-server (VS Code 1.100.3 in a browser, the last one that runs on Node 20) into a
# cache folder, working around what fails on a machine that reaches only the npm registry:
#   - @vscode/ripgrep downloads rg from GitHub: its download cache is seeded with the system's rg;
#   - install scripts are blocked by default in npm 11 (and node-pty's asks "npx ... ?"): they are
#     allowed for this one install, which runs code-server's own postinstall;
#   - as root, code-server's postinstall refuses to run unless npm_config_unsafe_perm=true.
# Usage: install-code-server.sh CACHE_DIR   (prints the code-server executable's path)
set -euo pipefail

VERSION=4.100.3
RIPGREP_CACHE=vscode-ripgrep-cache-1.15.11
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

cache="${1:?usage: install-code-server.sh CACHE_DIR}"
dir="$cache/code-server-$VERSION"
bin="$dir/node_modules/.bin/code-server"

if [[ -x "$bin" ]] && "$bin" --version >/dev/null 2>&1; then
  echo "$bin"
  exit 0
fi

missing=()
command -v rg >/dev/null || missing+=(ripgrep)
for header in krb5.h X11/extensions/XKBfile.h libsecret-1/libsecret/secret.h; do
  [[ -e "/usr/include/$header" ]] || missing+=("$header")
done
if ((${#missing[@]})); then
  echo "install-code-server: missing ${missing[*]}; run:" >&2
  echo "  apt-get install -y libkrb5-dev libxkbfile-dev libsecret-1-dev ripgrep" >&2
  exit 1
fi

rm -rf "$dir"
mkdir -p "$dir/tmp/$RIPGREP_CACHE"
tar czf "$dir/tmp/$RIPGREP_CACHE/$RIPGREP_ASSET" -C "$(dirname "$(command -v rg)")" rg
echo '{"private": true}' > "$dir/package.json"
echo "install-code-server: installing code-server@$VERSION into $dir (about a minute)" >&2
(
  cd "$dir"
  TMPDIR="$dir/tmp" \
    npm_config_yes=true \
    npm_config_unsafe_perm=true \
    npm_config_dangerously_allow_all_scripts=true \
    npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false \
    npm install --no-save "code-server@$VERSION" >"$dir/install.log" 2>&1
) || {
  echo "install-code-server: npm install failed; the end of $dir/install.log:" >&2
  tail -30 "$dir/install.log" >&2
  exit 1
}
"$bin" --version >/dev/null
echo "$bin"
