#!/usr/bin/env bash
# CUBA (4,000 neurons, 1 s biological per run) in engram and in the bare C loop of benches/c/cuba.c,
# alternated in one run on this machine, so that both see the same load. engram's figure is the
# simulation loop of `engram network --preset cuba --threads 1` (which also bins the spikes for its
# report); the C loop does nothing but simulate.
#
#   bash benches/compare_c.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
cc=${CC:-cc}
command -v "$cc" >/dev/null || { echo "no C compiler ($cc): skipped"; exit 0; }
bin=target/release/engram
[[ -x $bin ]] || cargo build --release
out=$(mktemp -d)
"$cc" -O3 -march=native -o "$out/cuba_native" benches/c/cuba.c -lm
"$cc" -O3 -o "$out/cuba_portable" benches/c/cuba.c -lm
field() { sed -n "s/.*\"$1\": *\([0-9.e+-]*\).*/\1/p" | head -1; }
printf '%-6s %-22s %-22s %-22s\n' round "engram (s/bio s)" "C -march=native" "C portable -O3"
for round in $(seq "$rounds"); do
  e=$("$bin" network --preset cuba --duration 10 --threads 1 --json | tr -d '\n' | field wall_s_per_bio_s)
  n=$("$out/cuba_native" 10 | field wall_s_per_bio_s)
  p=$("$out/cuba_portable" 10 | field wall_s_per_bio_s)
  printf '%-6s %-22s %-22s %-22s\n' "$round" "$e" "$n" "$p"
done
rm -rf "$out"
