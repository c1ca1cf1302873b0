#!/bin/sh
# Compiles every source file of the library, the tests and the examples with
# clang and the project's warning flags, warnings as errors, into a
# temporary folder. Usage: sh tests/clang_check.sh SOURCE_TREE
set -eu
src=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT INT TERM
warn="-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes"
std="-std=c11 -D_POSIX_C_SOURCE=200809L"
blas=$(pkg-config --cflags openblas 2>/dev/null || true)
check=$(pkg-config --cflags check 2>/dev/null || true)
n=0
for f in "$src"/lib/*.c; do
    clang $std $warn -O3 -ffp-contract=fast -fPIC -fvisibility=hidden \
        -DHTSEP_BUILDING -I"$src/include" -I"$src/lib" $blas \
        -c "$f" -o "$out/$(basename "$f").o"
    n=$((n + 1))
done
for f in "$src"/tests/*.c "$src"/tests/bench/*.c "$src"/examples/*.c; do
    clang $std $warn -O2 -I"$src/include" -I"$src/lib" $blas $check \
        -c "$f" -o "$out/t_$(basename "$f").o"
    n=$((n + 1))
done
clang++ -std=c++11 -Wall -Wextra -Werror -I"$src/include" \
    -c "$src/examples/api_demo.cpp" -o "$out/api_demo.o"
echo "clang_check: $((n + 1)) files clean"
