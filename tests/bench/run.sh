#!/bin/sh
# make bench: the library's benchmark and, side by side in the same run, the
# PyTorch implementation of the same method when one is given (PEER=path of
# torch_peer.py) and python3-torch is installed.
# Usage: sh tests/bench/run.sh BENCH_BINARY FASHION_DIR [PEER]
# PEER_LIBRARY_PATH, when set, is the peer's LD_LIBRARY_PATH: point it at an
# OpenMP build of OpenBLAS, whose threads follow the peer's --threads (the
# system's pthread build and torch's own threads oversubscribe the cores).
set -eu
bench=$1
data=$2
peer=${3:-}
samples=${SAMPLES:-5}
batches=${BATCHES:-20}

out=$(mktemp)
trap 'rm -f "$out"' EXIT INT TERM
"$bench" "$data" "$samples" "$batches" | tee "$out"

if [ -z "$peer" ] || [ ! -f "$peer" ]; then
    echo "peer: skipped (give PEER=path/to/torch_peer.py to compare)"
    exit 0
fi
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    echo "peer: skipped (python3-torch is not installed)"
    exit 0
fi
for t in 1 2; do
    # The peer's epochs are cut to the same number of batches; epoch 1 is
    # a warm-up. Its evaluation runs once, after the last epoch.
    LD_LIBRARY_PATH=${PEER_LIBRARY_PATH:-${LD_LIBRARY_PATH:-}} \
    OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t /usr/bin/python3 "$peer" \
        --preset paper --dist scalar --dt-y 0.3 --data "$data" \
        --epochs $((samples + 1)) --max-batches "$batches" --threads "$t" \
        --eval-every 0 > "$out.peer" 2>&1 || { cat "$out.peer"; exit 1; }
    grep '^# blas' "$out.peer" | head -n 1
    lib_epoch=$(awk -v t="$t" '$1 == "libhtsep" && $3 == t {print $7}' "$out")
    awk -v t="$t" -v lib="$lib_epoch" '
        $1 == "epoch" && $2 > 1 { s[n++] = $4 / $NF * 235 }
        $1 == "epoch" && $8 != "-" { eval_s = $8 }
        END {
            for (i = 0; i < n; i++) for (j = i + 1; j < n; j++)
                if (s[j] < s[i]) { x = s[i]; s[i] = s[j]; s[j] = x }
            med = n % 2 ? s[int(n / 2)] : (s[n / 2 - 1] + s[n / 2]) / 2
            printf "peer threads %d  epoch_s %.2f  eval_s %.2f  " \
                   "speedup_of_libhtsep %.2fx\n", t, med, eval_s, med / lib
        }' "$out.peer"
done
rm -f "$out.peer"
