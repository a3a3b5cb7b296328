#!/usr/bin/env bash
# Debian packages nablagrade needs, and the unprivileged user the sandbox runs
# as; installs only what is missing.
set -euo pipefail
needed=()
command -v bwrap >/dev/null 2>&1 || needed+=(bubblewrap)
ldconfig -p 2>/dev/null | grep -q 'libseccomp.so.2' || needed+=(libseccomp2)
# The browser tests drive Debian's chromium through Playwright (tests/support/browser.py); never a downloaded browser.
[ -x /usr/bin/chromium ] || needed+=(chromium)
# The sandbox drops to this user when the service runs as root (it falls back to nobody).
needs_user=0
getent passwd nablagrade-sandbox >/dev/null 2>&1 || needs_user=1
[ ${#needed[@]} -eq 0 ] && [ "$needs_user" -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  [ ${#needed[@]} -eq 0 ] && exit 0  # not root: the sandbox runs as the current, unprivileged user
  if [ "${needed[*]}" = chromium ]; then
    # Only the browser tests need it; they say so (and fail under CI=true) when it is missing.
    echo "note: chromium is missing; the browser tests need it (run: sudo apt-get install chromium)" >&2
    exit 0
  fi
  echo "missing Debian packages: ${needed[*]} (run: sudo apt-get install ${needed[*]})" >&2
  exit 1
fi
if [ ${#needed[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${needed[@]}"
fi
if [ "$needs_user" -eq 1 ]; then
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin nablagrade-sandbox
fi
