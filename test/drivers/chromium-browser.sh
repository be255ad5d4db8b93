#!/bin/sh
# $BROWSER for the browser test: xdg-open (through the `open` package) runs this with the URL.
# Starts the test's headless Chromium on that URL, with a DevTools port the test attaches to.
set -eu
# exec keeps the PID: the test stops Chromium through it.
echo $$ > "$MCPGW_TEST_CHROMIUM_PROFILE/chromium.pid"
exec "${MCPGW_TEST_CHROMIUM:-/usr/bin/chromium}" \
  --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$MCPGW_TEST_CHROMIUM_PROFILE" \
  --remote-debugging-address=127.0.0.1 --remote-debugging-port="$MCPGW_TEST_CDP_PORT" \
  "$1" > "$MCPGW_TEST_CHROMIUM_PROFILE/chromium.log" 2>&1
