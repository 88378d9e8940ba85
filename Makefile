# hashtagger — plain Makefile with pkg-config.
#   make run    install what is missing, build, start PostgreSQL + lighttpd on :8080
#   make test   install what is missing, build, run unit + end-to-end tests
#   make check  the same tests that do not need libtorch, under ASan+UBSan
#   make lint   formatter check and forbidden patterns

PKGS     := libpq libcjson libgcrypt
CC       ?= cc
BUILD    ?= build
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wpointer-arith -Wcast-qual -Wformat=2 -Wno-format-nonliteral
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -D_GNU_SOURCE $(WARN) $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
            -Icore -MMD -MP
ifdef WERROR
CFLAGS   += -Werror
endif
LDLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.1.0)
GITREV   := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

CORE_SRC := $(wildcard core/*.c)
FCGI_SRC := $(wildcard fcgi/*.c)
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
FCGI_OBJ := $(FCGI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test-*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all unit
all: $(BUILD)/hashtagger

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/fcgi/%.o: CFLAGS += -Ifcgi -DHT_VERSION='"$(VERSION)"' -DHT_GITREV='"$(GITREV)"'

$(BUILD)/libcore.a: $(CORE_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/hashtagger: $(FCGI_OBJ) $(BUILD)/libcore.a
	$(CC) $(LDFLAGS) -o $@ $(FCGI_OBJ) $(BUILD)/libcore.a $(LDLIBS) -lfcgi

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libcore.a tests/unit/t.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libcore.a $(LDLIBS)

# Unit tests: core only, no server. Each binary prints "N passed, N failed".
unit: $(UNIT_BIN)
	@tests/run-unit $(UNIT_BIN)

-include $(CORE_OBJ:.o=.d) $(FCGI_OBJ:.o=.d)
