#!/usr/bin/env bash
# Debian packages nablagrade needs; installs only what is missing.
set -euo pipefail
needed=()
command -v bwrap >/dev/null 2>&1 || needed+=(bubblewrap)
ldconfig -p 2>/dev/null | grep -q 'libseccomp.so.2' || needed+=(libseccomp2)
[ ${#needed[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${needed[*]} (run: sudo apt-get install ${needed[*]})" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${needed[@]}"
