#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring (a real Secret
# Service), so keychain code is tested against the same API desktops use.
# Usage: scripts/with-keyring.sh CMD [ARGS...]
set -euo pipefail
if [ -z "${WITH_KEYRING_INNER:-}" ]; then
  tmp=$(mktemp -d)
  mkdir -p "$tmp/data" "$tmp/run"
  chmod 700 "$tmp/run"
  trap 'rm -rf "$tmp"' EXIT
  export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run" WITH_KEYRING_INNER=1
  unset DISPLAY DBUS_SESSION_BUS_ADDRESS
  status=0
  dbus-run-session -- "$0" "$@" || status=$?
  exit "$status"
fi
# Inside the session: start and unlock the keyring, then wait until it owns its bus name.
printf '%s' "ci-keyring-password" | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
for _ in $(seq 1 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    break
  fi
  sleep 0.1
done
unset WITH_KEYRING_INNER
exec "$@"
