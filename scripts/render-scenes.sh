#!/usr/bin/env bash
# Renders every shipped scene, playing, at the sizes a lecture meets (a 1280×720 and a 1366×768
# projector, a 1920×1080 screen) and saves one PNG each, to be opened and looked at: a plot cut off,
# blank or without a scale at one of them is a bug.
#
#   scripts/render-scenes.sh OUTDIR [SIZES...]     (default sizes: 1280x720 1366x768 1920x1080)
#
# Needs ../shared/tools/screenshot.sh (Xvfb; it installs what it needs) and a release build.
# SCENES="cuba nest-replay" limits the scenes; SECONDS_PER_SCENE (default 4) how long each plays.
set -euo pipefail
out=${1:?usage: scripts/render-scenes.sh OUTDIR [SIZES...]}
shift
sizes=("$@")
((${#sizes[@]})) || sizes=(1280x720 1366x768 1920x1080)
here=$(cd "$(dirname "$0")/.." && pwd)
shot=$here/../shared/tools/screenshot.sh
[[ -x $shot ]] || { echo "render-scenes: $shot is missing" >&2; exit 2; }
cd "$here"
[[ -x target/release/engram ]] || cargo build --release
mkdir -p "$out"
scenes=${SCENES:-$(target/release/engram run --list | awk '{print $1}')}
for size in "${sizes[@]}"; do
  for scene in $scenes; do
    # Each scene starts from fresh settings, as a first-time user sees it.
    rm -rf "$HOME/.local/share/engram"
    SIZE=$size "$shot" "$out/$scene-$size.png" "${SECONDS_PER_SCENE:-4}" -- --scene "$scene" --play >/dev/null
    echo "$out/$scene-$size.png"
  done
done
