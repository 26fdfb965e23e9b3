#!/bin/sh
# Install Debian's chromium and CJK fonts for the browser tests (never a
# browser download of playwright's own). Needs root or sudo.
set -eu
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk
