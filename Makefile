# libhtsep: plain Makefile. `make` builds the libraries and the examples;
# `make check` runs the test suite; `make train` trains on Fashion-MNIST;
# `make install PREFIX=... DESTDIR=...` installs.

PREFIX      ?= /usr/local
LIBDIR      ?= $(PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
BINDIR      ?= $(PREFIX)/bin
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR     ?=

# The version lives only in include/htsep.h.
version_of = $(shell sed -n 's/^\#define HTSEP_VERSION_$(1) \([0-9]*\).*/\1/p' include/htsep.h)
MAJOR   := $(call version_of,MAJOR)
MINOR   := $(call version_of,MINOR)
PATCH   := $(call version_of,PATCH)
VERSION := $(MAJOR).$(MINOR).$(PATCH)

SONAME     := libhtsep.so.$(MAJOR)
SHARED     := lib/libhtsep.so.$(VERSION)
STATIC     := lib/libhtsep.a
BUILD      := build

PKG_CONFIG ?= pkg-config
BLAS_CFLAGS := $(shell $(PKG_CONFIG) --cflags openblas 2>/dev/null)
BLAS_LIBS   := $(shell $(PKG_CONFIG) --libs openblas 2>/dev/null || echo -lopenblas)
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell $(PKG_CONFIG) --libs check 2>/dev/null || echo -lcheck)

CC      ?= cc
CXX     ?= c++
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
STD     := -std=c11 -D_POSIX_C_SOURCE=200809L

LIB_CFLAGS := $(STD) $(WARN) -fPIC -fvisibility=hidden -DHTSEP_BUILDING \
              -Iinclude -Ilib $(BLAS_CFLAGS) $(CFLAGS)
# OpenBLAS comes before GSL so that its CBLAS is the one the process binds.
LIB_LIBS   := $(BLAS_LIBS) -lgsl -lz -lm -lpthread

LIB_SRC := $(sort $(wildcard lib/*.c))
LIB_OBJ := $(patsubst lib/%.c,$(BUILD)/lib/%.o,$(LIB_SRC))
TEST_SRC := $(sort $(wildcard tests/*.c))
TEST_OBJ := $(patsubst tests/%.c,$(BUILD)/tests/%.o,$(TEST_SRC))

TRAIN_BIN := $(BUILD)/htsep-train
TOOL_BINS := $(BUILD)/htsep-dt-hist $(BUILD)/htsep-units
SWEEP_SCRIPTS := examples/sweep/htsep-sweep examples/sweep/htsep-report \
                 examples/sweep/htsep-plots
# Example programs find the library relative to themselves, both in the
# build tree (build/../lib) and once installed (bin/../lib).
EXAMPLE_RPATH := -Wl,-rpath,'$$ORIGIN/../lib'

FASHION_DIR ?= /usr/share/datasets/fashion-mnist
EPOCHS      ?= 5
THREADS     ?= 2

DEB_PACKAGES := gcc g++ clang make pkg-config libgsl-dev libopenblas-dev zlib1g-dev \
                check binutils abigail-tools dataset-fashion-mnist python3 \
                gnuplot-nox

.PHONY: all check train install uninstall clean deps abi-check abi-update bench

all: $(SHARED) $(STATIC) lib/libhtsep.so $(TRAIN_BIN) $(TOOL_BINS) pkgconfig/htsep.pc

$(BUILD)/lib/%.o: lib/%.c include/htsep.h $(wildcard lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(LIB_CFLAGS) -c $< -o $@

# The relaxation kernel is the hot loop: let the compiler vectorise it fully
# and fuse multiply-adds (ISO C mode otherwise forbids the fusion). Its
# vectors never cross a call (all inlined), so GCC's note on the vector-
# passing ABI, which the source's pragma does not always reach, is off.
$(BUILD)/lib/kernel.o: LIB_CFLAGS += -O3 -ffp-contract=fast -Wno-psabi

$(SHARED): $(LIB_OBJ) lib/libhtsep.map
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=lib/libhtsep.map \
	    -Wl,--no-undefined -o $@ $(LIB_OBJ) $(LIB_LIBS)

lib/$(SONAME): $(SHARED)
	ln -sf $(notdir $(SHARED)) $@

lib/libhtsep.so: lib/$(SONAME)
	ln -sf $(SONAME) $@

$(STATIC): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

pkgconfig/htsep.pc: pkgconfig/htsep.pc.in include/htsep.h
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
	    -e 's|@BLAS_LIBS@|$(BLAS_LIBS)|g' $< > $@

TRAIN_SRC := examples/htsep-train.c examples/run_record.c
$(TOOL_BINS): $(BUILD)/%: examples/%.c lib/libhtsep.so
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(CFLAGS) -Iinclude $< -o $@ -Llib -lhtsep \
	    $(EXAMPLE_RPATH) -lm

$(TRAIN_BIN): $(TRAIN_SRC) examples/run_record.h lib/libhtsep.so
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(CFLAGS) -Iinclude $(TRAIN_SRC) -o $@ -Llib \
	    -lhtsep $(EXAMPLE_RPATH) -lm

# Tests link the static archive so they can reach internal functions too.
$(BUILD)/tests/%.o: tests/%.c include/htsep.h $(wildcard tests/*.h) $(wildcard lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(CFLAGS) -Iinclude -Ilib $(CHECK_CFLAGS) $(BLAS_CFLAGS) -c $< -o $@

$(BUILD)/check_htsep: $(TEST_OBJ) $(STATIC)
	$(CC) -o $@ $(TEST_OBJ) $(STATIC) $(CHECK_LIBS) $(LIB_LIBS)

# Installs missing Debian packages when run as root, else names them.
deps:
	@command -v dpkg-query >/dev/null 2>&1 || exit 0; \
	missing=""; \
	for p in $(DEB_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' \
	        || missing="$$missing $$p"; \
	done; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	        apt-get install -y -qq $$missing >/dev/null || exit 1; \
	else \
	    echo "missing Debian packages; run: sudo apt-get install -y$$missing" >&2; \
	    exit 1; \
	fi

check: deps
	$(MAKE) all $(BUILD)/check_htsep
	HTSEP_TOP='$(CURDIR)' HTSEP_FASHION_DIR='$(FASHION_DIR)' CC='$(CC)' CXX='$(CXX)' \
	    $(BUILD)/check_htsep
	$(MAKE) abi-check

train: deps
	$(MAKE) all
	$(TRAIN_BIN) --data '$(FASHION_DIR)' --epochs $(EPOCHS) --threads $(THREADS)

# Compares the built library's ABI with the recorded baseline. Only types
# of the public header count: the handles' layouts are private.
abi-check: $(SHARED)
	abidiff --no-added-syms --hd1 include --hd2 include \
	    tests/abi/libhtsep.abi $(SHARED) \
	    && echo "abi-check: no change against tests/abi/libhtsep.abi"

# After a deliberate, versioned ABI change only.
abi-update: $(SHARED)
	abidw --no-corpus-path --no-comp-dir-path --headers-dir include \
	    --drop-private-types \
	    --out-file tests/abi/libhtsep.abi $(SHARED)
	nm -D --defined-only $(SHARED) | awk '{print $$3}' | grep -v '^HTSEP_' \
	    | sort > tests/abi/htsep.symbols

BENCH_BIN := $(BUILD)/htsep-bench
PEER ?=

$(BENCH_BIN): tests/bench/bench.c lib/libhtsep.so
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(CFLAGS) -Iinclude $(BLAS_CFLAGS) $< -o $@ \
	    -Llib -lhtsep $(EXAMPLE_RPATH) $(BLAS_LIBS) -lm

# Speed and memory: see docs/performance.md. PEER=.../torch_peer.py adds
# the PyTorch implementation of the same method, run side by side.
bench: $(BENCH_BIN)
	sh tests/bench/run.sh $(BENCH_BIN) '$(FASHION_DIR)' '$(PEER)'

install: all
	install -d '$(DESTDIR)$(LIBDIR)' '$(DESTDIR)$(INCLUDEDIR)' \
	    '$(DESTDIR)$(PKGCONFIGDIR)' '$(DESTDIR)$(BINDIR)'
	install -m 644 include/htsep.h '$(DESTDIR)$(INCLUDEDIR)/htsep.h'
	install -m 755 $(SHARED) '$(DESTDIR)$(LIBDIR)/'
	ln -sf $(notdir $(SHARED)) '$(DESTDIR)$(LIBDIR)/$(SONAME)'
	ln -sf $(SONAME) '$(DESTDIR)$(LIBDIR)/libhtsep.so'
	install -m 644 $(STATIC) '$(DESTDIR)$(LIBDIR)/'
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
	    -e 's|@BLAS_LIBS@|$(BLAS_LIBS)|g' pkgconfig/htsep.pc.in \
	    > '$(DESTDIR)$(PKGCONFIGDIR)/htsep.pc'
	install -m 755 $(TRAIN_BIN) $(TOOL_BINS) $(SWEEP_SCRIPTS) \
	    '$(DESTDIR)$(BINDIR)/'

uninstall:
	rm -f '$(DESTDIR)$(INCLUDEDIR)/htsep.h' \
	    '$(DESTDIR)$(LIBDIR)/$(notdir $(SHARED))' \
	    '$(DESTDIR)$(LIBDIR)/$(SONAME)' '$(DESTDIR)$(LIBDIR)/libhtsep.so' \
	    '$(DESTDIR)$(LIBDIR)/libhtsep.a' '$(DESTDIR)$(PKGCONFIGDIR)/htsep.pc' \
	    '$(DESTDIR)$(BINDIR)/htsep-train' \
	    $(foreach t,$(TOOL_BINS),'$(DESTDIR)$(BINDIR)/$(notdir $(t))') \
	    $(foreach s,$(SWEEP_SCRIPTS),'$(DESTDIR)$(BINDIR)/$(notdir $(s))')

clean:
	rm -rf $(BUILD) lib/libhtsep.so* lib/libhtsep.a pkgconfig/htsep.pc
