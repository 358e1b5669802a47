#!/usr/bin/env bash
# Make sure Debian's Chromium and CJK fonts are there for the browser tests (Playwright drives
# /usr/bin/chromium; a browser download fails on these machines). As root with apt-get they are installed
# when missing; otherwise the command to run is printed and the script exits 1. Quiet when both are present.
set -euo pipefail

missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
fonts="$(fc-list 2>/dev/null || true)"
[[ "${fonts,,}" == *"noto sans cjk"* ]] || missing+=(fonts-noto-cjk)
if ((${#missing[@]} == 0)); then
  echo "chromium ok"
  exit 0
fi
if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} with apt"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  echo "chromium ok (installed)"
else
  echo "ensure-browser: missing ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
