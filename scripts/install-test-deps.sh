#!/usr/bin/env bash
# Installs the Debian packages the tests need: Chromium (UI + WebRTC), Kamailio (SIP server),
# sipp and baresip (plain SIP/RTP peers), rtpengine (WebRTC <-> plain RTP media bridge of the dev PBX),
# kamailio-tls-modules (wss:// on the dev PBX), kamailio-xml-modules (XML-RPC: rtpengine's media-timeout
# teardown of dialogs). Idempotent and fast when all are present.
set -euo pipefail
PKGS=(chromium kamailio kamailio-websocket-modules kamailio-tls-modules kamailio-xml-modules sip-tester baresip-core rtpengine-daemon postgresql fonts-noto-cjk)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "test dependencies: all present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "test dependencies: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "test dependencies: installed"
