# rampart Makefile.  GNU make.  See README.md for the two commands.
#
# Sources are found by wildcard, one folder per layer, so adding a check,
# writer or adapter is one file plus one table line: no Makefile edit.

.DELETE_ON_ERROR:
.SUFFIXES:

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
BUILD     ?= build
CC        ?= cc
CLANG     ?= clang
WERROR    ?= -Werror
SANITIZE  ?=
SHARED    ?= $(abspath ../shared)

# Debian packages the build and the tests need (see README "Dependencies").
DEB_BUILD := build-essential pkg-config libssl-dev libyaml-dev libyajl-dev \
	     libpcre2-dev libcmocka-dev libc-ares-dev
# What `make deb` (dpkg-buildpackage) needs beyond the build itself.
DEB_PKG   := dpkg-dev debhelper
DEB_TEST  := clang libclang-rt-14-dev clang-format libxml2-utils \
	     gnutls-bin nginx-light openssl procps python3 jq sslscan \
	     chromium parallel

WARN := -Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wvla -fno-common
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -DRAMPART_VERSION='"$(VERSION)"' \
	    -I. -Ilib
# The user's CFLAGS (make CFLAGS=-O0) are kept apart from ours, so the
# standard, warnings and sanitizers stay whatever the user sets (git's
# ALL_CFLAGS).
CFLAGS   ?= -O2 -g
ALL_CFLAGS = $(CFLAGS) -std=c11 -pthread $(WARN) $(WERROR) $(SAN_CFLAGS)
LDLIBS   += -lyaml -lyajl -lpcre2-8 -lssl -lcrypto -lcares -ldl -lm -pthread

ifneq ($(SANITIZE),)
SAN_CFLAGS := -fsanitize=$(SANITIZE) -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer -DARENA_DEBUG
LDFLAGS += -fsanitize=$(SANITIZE)
endif

LIB_SRC     := $(sort $(wildcard lib/*.c))
# Every folder under checks/ but the example plugins (built as .so).
CHECKS_SRC  := $(sort $(wildcard checks/*.c) \
		$(filter-out checks/examples/%,$(wildcard checks/*/*.c)))
RULES_SRC   := $(sort $(wildcard rules/*.c))
REPORTS_SRC := $(sort $(wildcard reports/*.c))
CLI_SRC     := $(sort $(wildcard cli/*.c))
CORE_SRC    := $(LIB_SRC) $(CHECKS_SRC) $(RULES_SRC) $(REPORTS_SRC)

CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
LIBA     := $(BUILD)/librampart.a
BIN      := $(BUILD)/rampart

TEST_SRC  := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN  := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAY := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz-replay/%)
PLUGIN_SRC := $(sort $(wildcard checks/examples/*.c))
PLUGIN_SO  := $(PLUGIN_SRC:checks/examples/%.c=$(BUILD)/plugins/%.so)

.PHONY: all check test asan ubsan tsan fuzz torture lint bench install clean \
	deps deps-test deps-node demo baselines format marketplace deb

all: $(BIN) $(PLUGIN_SO)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIBA): $(CORE_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIBA)
	$(CC) $(LDFLAGS) -rdynamic -o $@ $(CLI_OBJ) $(LIBA) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -Wno-missing-prototypes -rdynamic -o $@ $< \
	    $(LIBA) $(LDFLAGS) $(LDLIBS) -lcmocka

# Fuzz targets: the same source builds with a replay driver (always, and
# run by `make check`) and with libFuzzer (`make fuzz`).
$(BUILD)/fuzz-replay/%: tests/fuzz/%.c tests/fuzz/driver.c $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< tests/fuzz/driver.c \
	    $(LIBA) $(LDFLAGS) $(LDLIBS)

# External example plugins: shared objects, no RPATH.
$(BUILD)/plugins/%.so: checks/examples/%.c checks/check.h lib/lib.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -fPIC -shared -o $@ $<
	chmod 0755 $@

-include $(CORE_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

# ------------------------------------------------------------------ deps

# Install any missing Debian package, so a fresh Debian 12 machine needs
# nothing by hand.  Non-root users get a clear message instead.
define install_debs
	@missing=""; for p in $(1); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
	    grep -q 'install ok installed' || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	    echo "installing Debian packages:$$missing"; \
	    if [ "$$(id -u)" != 0 ]; then \
		echo "error: run as root or install:$$missing" >&2; exit 1; fi; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps:
	$(call install_debs,$(DEB_BUILD) $(DEB_PKG))

deps-test: deps
	$(call install_debs,$(DEB_TEST))
	@# Node.js may come from outside Debian (this machine kind ships it);
	@# install Debian's only when no node/npm is on PATH.
	@if ! command -v npm >/dev/null 2>&1 || \
	    ! command -v node >/dev/null 2>&1; then \
	    $(MAKE) --no-print-directory deps-node; fi
	@if [ -d tests/node ] && [ ! -d tests/node/node_modules ]; then \
	    cd tests/node && npm install --no-audit --no-fund --silent; fi

deps-node:
	$(call install_debs,nodejs npm)

# ------------------------------------------------------------------ demo

demo: deps
	$(MAKE) all
	./scripts/demo.sh $(BIN)

# ----------------------------------------------------------------- tests

test: all $(TEST_BIN) $(FUZZ_REPLAY)
	BUILD=$(BUILD) SHARED=$(SHARED) E2E_SKIP="$(E2E_SKIP)" ./tests/run-tests.sh

check: deps-test
	$(MAKE) lint
	$(MAKE) test
	$(MAKE) asan
	$(MAKE) tsan

# The package test (e2e deb) builds its own plain binary: the sanitizer
# pass would only build it again, so it runs in `make test` alone.
asan:
	$(MAKE) BUILD=build-asan SANITIZE=address,undefined E2E_SKIP=deb test

ubsan:
	$(MAKE) BUILD=build-ubsan SANITIZE=undefined test

# ThreadSanitizer (clang) over the JSON loader's reader thread: its tests
# and a scan checked against the normal build (tests/tsan.sh).
TSAN_TESTS := test_pipeline test_stream test_json test_merge test_reports
tsan: all
	$(MAKE) BUILD=build-tsan CC=$(CLANG) SANITIZE=thread \
	    $(TSAN_TESTS:%=build-tsan/tests/%) build-tsan/rampart
	SHARED=$(SHARED) ./tests/tsan.sh build-tsan $(BUILD)

torture: $(BUILD)/tests/test_torture
	$(BUILD)/tests/test_torture

fuzz:
	@mkdir -p $(BUILD)/fuzz
	$(MAKE) BUILD=build-fuzz CC=$(CLANG) \
	    CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined" \
	    LDFLAGS="-fsanitize=address,undefined" build-fuzz/librampart.a
	for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	    $(CLANG) $(CPPFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined \
		-o build-fuzz/$$n $$f build-fuzz/librampart.a $(LDLIBS) \
		|| exit 1; echo "built build-fuzz/$$n"; done
	@echo "run e.g.: build-fuzz/fuzz_json tests/fuzz/corpus/json -max_total_time=60"

lint:
	./scripts/lint.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

bench: all
	./tests/bench/run.sh $(BUILD)
	./tests/bench/tls/run.sh $(BUILD)
	for s in tests/bench/providers/*.sh; do \
		[ -f "$$s" ] || continue; "$$s" $(BUILD) || exit 1; done

baselines: all
	./scripts/make-baselines.sh $(BIN) $(SHARED)

# Maintainers: regenerate the compact copy of the FedRAMP Marketplace feed
# from a download of it (MARKETPLACE_FEED; docs/placement.md).
MARKETPLACE_FEED ?= $(SHARED)/data/fedramp/marketplace/data.json
marketplace: all
	$(BIN) marketplace import $(MARKETPLACE_FEED) \
	    --out rules/marketplace/fedramp-marketplace.json

# --------------------------------------------------------------- install

# The binary, the man page, the shipped rules and baselines, the collect
# scripts (as rampart-collect-PROVIDER) and their read-only policies, and
# the shell completions when the binary can print them (`rampart
# completion bash|zsh|fish`).
COLLECT_SRC := $(sort $(wildcard scripts/collect-*.sh))
POLICY_SRC  := $(sort $(wildcard scripts/*-readonly-policy.* scripts/*-readonly-role.*))
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/rampart/policies
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/rampart
	install -m 0644 docs/rampart.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	cp -R rules $(DESTDIR)$(PREFIX)/share/rampart/
	find $(DESTDIR)$(PREFIX)/share/rampart -name '*.c' -o -name '*.h' | \
	    xargs rm -f
	for f in $(COLLECT_SRC); do n=$$(basename $$f .sh); \
	    install -m 0755 $$f $(DESTDIR)$(PREFIX)/bin/rampart-$$n || exit 1; \
	done
	for f in $(POLICY_SRC); do \
	    install -m 0644 $$f $(DESTDIR)$(PREFIX)/share/rampart/policies/ \
	    || exit 1; done
	@if $(BIN) completion bash >/dev/null 2>&1; then \
	    install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/vendor-completions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d && \
	    $(BIN) completion bash \
		>$(DESTDIR)$(PREFIX)/share/bash-completion/completions/rampart && \
	    $(BIN) completion zsh \
		>$(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_rampart && \
	    $(BIN) completion fish \
		>$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/rampart.fish \
		|| exit 1; \
	    echo "installed bash, zsh and fish completion"; \
	else echo "no shell completion: this rampart has no 'completion' command"; fi

# A Debian package built by dpkg-buildpackage (debian/) from a copy of
# the tracked sources in $(BUILD)/deb, so its outputs land there and not
# in the folder above the checkout.  `make deps` installs dpkg-dev and
# debhelper.
DEB_STAGE := $(BUILD)/deb/rampart-$(VERSION)
deb:
	$(call install_debs,$(DEB_BUILD) $(DEB_PKG))
	rm -rf $(BUILD)/deb && mkdir -p $(DEB_STAGE)
	git ls-files -z --cached --others --exclude-standard | \
	    xargs -0 sh -c 'for f; do [ -e "$$f" ] && \
		[ "$${f#tests/node/node_modules}" = "$$f" ] && \
		printf "%s\0" "$$f"; done; :' - | \
	    tar cf - --null -T - | tar xf - -C $(DEB_STAGE)
	cd $(DEB_STAGE) && dpkg-buildpackage -b -us -uc -j2
	@ls $(BUILD)/deb/*.deb

clean:
	rm -rf build build-asan build-ubsan build-tsan build-fuzz
