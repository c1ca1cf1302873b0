#!/bin/sh
# Installs libhtsep into a temporary prefix, compiles the C and C++ API
# examples against it through pkg-config, runs them, runs the installed
# trainer's --help, uninstalls, and checks nothing is left behind.
# Usage: sh tests/install_check.sh SOURCE_TREE
set -eu
src=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
prefix=$work/prefix

make -s -C "$src" install PREFIX="$prefix" >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
pkg-config --exists htsep
echo "pkg-config: htsep $(pkg-config --modversion htsep)"

${CC:-cc} -std=c11 -Wall -Wextra -Werror -o "$work/demo_c" \
    "$src/examples/api_demo.c" $(pkg-config --cflags --libs htsep)
${CXX:-c++} -std=c++11 -Wall -Wextra -Werror -o "$work/demo_cpp" \
    "$src/examples/api_demo.cpp" $(pkg-config --cflags --libs htsep)
LD_LIBRARY_PATH="$prefix/lib" "$work/demo_c"
LD_LIBRARY_PATH="$prefix/lib" "$work/demo_cpp"
# The installed trainer finds its library through its relative run path.
"$prefix/bin/htsep-train" --help | head -n 1

make -s -C "$src" uninstall PREFIX="$prefix" >/dev/null
left=$(find "$prefix" -type f -o -type l)
if [ -n "$left" ]; then
    echo "install_check: left behind after uninstall: $left"
    exit 1
fi
echo "install_check: ok"
