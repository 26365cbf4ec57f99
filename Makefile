# wattprint: plain Makefile (GNU make).  `make` builds ./wattprint; `make run` and
# `make test` first install what is missing (see .ci/deps; what only the tests need, TeX,
# in .ci/deps-test), so they work on a fresh Debian bookworm machine with nothing but
# build-essential.

PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
BIN      ?= wattprint
CC       ?= cc
VERSION  := 0.1.0

PKGS      = sqlite3 libpq cairo cairo-pdf cairo-svg pangocairo libpng gsl xlsxwriter libcrypto zlib jansson yaml-0.1
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lcsv -lm -lpthread

WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(SAN) $(PKG_CFLAGS) \
             -Isrc -I$(BUILD)/gen -DWP_VERSION='"$(VERSION)"' -MMD -MP
LDFLAGS ?=
ALL_LDFLAGS = $(SAN) $(LDFLAGS)

SRC      := $(shell find src -name '*.c' | LC_ALL=C sort)
LIB_SRC  := $(filter-out src/main.c src/util/lsan.c,$(SRC))
# linked explicitly into the binary and the tests: nothing references it (see the file)
LSAN_OBJ := $(BUILD)/src/util/lsan.o
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/schema_sql.o
TEST_SRC := $(shell find tests -name 'test_*.c' | LC_ALL=C sort)
TEST_BIN := $(TEST_SRC:%.c=$(BUILD)/%)
SCHEMA   := $(sort $(wildcard schema/[0-9][0-9][0-9]_*.sql))
SCHEMA_PG := $(wildcard schema/pg/[0-9][0-9][0-9]_*.sql)

.PHONY: all deps run test test-run unit e2e check-asan check-tsan check-valgrind bench install \
        uninstall clean golden study fuzz check-labels check-clang

all: $(BIN)

$(BIN): $(BUILD)/src/main.o $(LSAN_OBJ) $(BUILD)/libwattprint.a
	@echo "  LINK    $@"
	@$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/libwattprint.a: $(LIB_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The migrations are compiled in: each schema/NNN_name.sql becomes one string.
$(BUILD)/gen/schema_sql.c: $(SCHEMA) $(SCHEMA_PG) .ci/embed-schema
	@mkdir -p $(dir $@)
	@sh .ci/embed-schema $(SCHEMA) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/schema_sql.o: $(BUILD)/gen/schema_sql.c
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(LSAN_OBJ) $(BUILD)/libwattprint.a
	@mkdir -p $(dir $@)
	@echo "  TEST    $<"
	@$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(LSAN_OBJ) $(BUILD)/libwattprint.a $(ALL_LDFLAGS) \
	    $(PKG_LIBS) $(shell pkg-config --libs cmocka)

deps:
	@sh .ci/deps

# One command for a new user: install, build, ingest the fixtures, write the reports.
run: deps
	@$(MAKE) --no-print-directory all
	@sh .ci/make-run ./$(BIN)

# The test targets build with JOBS compilers at a time (the processors by default) and
# tests/run-all runs WP_TEST_JOBS tests at a time (default: the processors and one more,
# as tests wait on servers and disks; 1 runs them in turn).
JOBS ?= $(shell getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)

test: deps
	@sh .ci/deps-test
	@$(MAKE) --no-print-directory -j$(JOBS) test-run

test-run: $(BIN) $(TEST_BIN)
	@sh tests/run-all ./$(BIN) $(BUILD)

unit: $(TEST_BIN)
	@sh tests/run-all --unit-only ./$(BIN) $(BUILD)

e2e: $(BIN)
	@sh tests/run-all --e2e-only ./$(BIN) $(BUILD)

# Everything again under AddressSanitizer + UndefinedBehaviorSanitizer, with line tables
# for the sanitizers' reports (-g1: the build takes 49 s, not 57 s, on two cores).
check-asan: deps
	@sh .ci/deps-test
	@$(MAKE) --no-print-directory -j$(JOBS) BUILD=build-asan BIN=build-asan/wattprint \
	    CFLAGS='-O1 -g1' SAN='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	    test-run

# The ingest's threads under ThreadSanitizer: the read-ahead, the parser's thread and the
# checkpoint thread, through their unit tests and the end-to-end tests that run them (every
# fixture and the study serial, threaded and read ahead; concurrent writers; both stores).
# Not the chart workers: they run pango, whose allocators (glib's slices, harfbuzz) are not
# built with the sanitizer, and it reports their reuse of memory as races.  Not in CI.
TSAN_UNITS := tests/ingest/test_ahead tests/ingest/test_pipe tests/ingest/test_reader \
	tests/store/test_store
TSAN_E2E := pipe concurrency store_backends codecarbon_append labels_killed
check-tsan: deps
	@sh .ci/deps-test
	@$(MAKE) --no-print-directory -j$(JOBS) BUILD=build-tsan BIN=build-tsan/wattprint \
	    CFLAGS='-O1 -g' SAN='-fsanitize=thread -fno-omit-frame-pointer' \
	    build-tsan/wattprint $(TSAN_UNITS:%=build-tsan/%)
	@export TSAN_OPTIONS='halt_on_error=1 exitcode=66'; for t in $(TSAN_UNITS); do \
	    echo "  TSAN    $$t"; build-tsan/$$t >build-tsan/tsan.log 2>&1 || \
	        { tail -n 40 build-tsan/tsan.log; exit 1; }; \
	done; for t in $(TSAN_E2E); do \
	    echo "  TSAN    tests/e2e/$$t.sh"; \
	    WP=$(CURDIR)/build-tsan/wattprint TOP=$(CURDIR) bash tests/e2e/$$t.sh \
	        >build-tsan/tsan.log 2>&1 || { tail -n 40 build-tsan/tsan.log; exit 1; }; \
	done; echo "check-tsan: no race in $(words $(TSAN_UNITS)) unit and $(words $(TSAN_E2E)) end-to-end tests"

# Everything again under valgrind's memcheck (errors and definite/indirect leaks fail), on
# the binary and tests as built; long tests run reduced and say so (tests/valgrind/run).
# Not in CI: it takes about 30 CPU minutes (some 540 processes, each starting under valgrind).
check-valgrind: deps
	@$(MAKE) --no-print-directory all $(TEST_BIN)
	@sh tests/valgrind/run ./$(BIN) $(BUILD)

# libFuzzer harnesses of every parser and the templates (tests/fuzz/fuzz_<name>.c): clang builds the library
# with ASan + UBSan + coverage into build-fuzz/, seeds come from fixtures/, and each harness
# runs FUZZ_SECONDS (2 at a time; FUZZ_JOBS=N for more); prints executions and crashes.
FUZZ_SECONDS ?= 60
fuzz:
	@sh tests/fuzz/deps
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang-14 \
	    CFLAGS='-O1 -g' \
	    SAN='-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer' \
	    build-fuzz/libwattprint.a
	@mkdir -p build-fuzz/fuzz
	@for f in tests/fuzz/fuzz_*.c; do \
	    echo "  FUZZ    $$f"; \
	    clang-14 -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g -fno-omit-frame-pointer \
	        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $(PKG_CFLAGS) -Isrc \
	        -o build-fuzz/fuzz/$$(basename $$f .c) $$f build-fuzz/libwattprint.a $(PKG_LIBS) \
	        || exit 1; \
	done
	@sh tests/fuzz/seed build/fuzz/corpus
	@sh tests/fuzz/run build-fuzz/fuzz build/fuzz $(FUZZ_SECONDS)

# The program and every unit test compiled by clang-14 with the same -Wall -Wextra -Werror
# into build-clang/ (clang warns where gcc does not); nothing is run.  Not in CI: about a
# minute of CPU.  Its compiler comes with `make fuzz`'s packages (tests/fuzz/deps).
check-clang: deps
	@sh tests/fuzz/deps
	@$(MAKE) --no-print-directory BUILD=build-clang CC=clang-14 BIN=build-clang/wattprint \
	    build-clang/wattprint $(TEST_SRC:%.c=build-clang/%)
	@echo "check-clang: the program and $(words $(TEST_SRC)) unit tests compile with clang-14"

# Regenerate the golden files of the end-to-end tests, showing the diff.
golden: $(BIN)
	@sh tests/run-all --update-golden ./$(BIN) $(BUILD)

bench: deps
	@$(MAKE) --no-print-directory all
	@sh bench/run ./$(BIN)

# The labelling differential test (tests/labels_diff/): N random worlds from seed FIRST on,
# each `ingest --manifest M FILES` against `ingest FILES` then `manifest M` in fresh
# databases, on SQLite and, when a throwaway server starts, PostgreSQL; a difference prints
# its seed and a reproducer and fails. Not in CI (about 0.5 s a seed a backend); 20 seeds
# run in the suite as tests/e2e/labels_diff.sh.
N ?= 200
FIRST ?= 1
check-labels: deps
	@$(MAKE) --no-print-directory $(BIN)
	@bash tests/labels_diff/run ./$(BIN) $(N) $(FIRST)

# The man page and the bash completion come from the help texts (src/cli/man.c).
$(BUILD)/wattprint.1: $(BIN)
	@./$(BIN) help --man > $@.tmp && mv $@.tmp $@

$(BUILD)/wattprint.bash: $(BIN)
	@./$(BIN) help --completion > $@.tmp && mv $@.tmp $@

BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions

install: $(BIN) $(BUILD)/wattprint.1 $(BUILD)/wattprint.bash
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/wattprint/templates \
	    $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/wattprint
	cp -R templates/. $(DESTDIR)$(PREFIX)/share/wattprint/templates/
	install -m 644 $(BUILD)/wattprint.1 $(DESTDIR)$(PREFIX)/share/man/man1/wattprint.1
	install -m 644 $(BUILD)/wattprint.bash $(DESTDIR)$(BASHCOMPDIR)/wattprint

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/wattprint
	rm -rf $(DESTDIR)$(PREFIX)/share/wattprint
	rm -f $(DESTDIR)$(PREFIX)/share/man/man1/wattprint.1 $(DESTDIR)$(BASHCOMPDIR)/wattprint

clean:
	rm -rf build build-asan build-fuzz build-tsan build-clang $(BIN) out/*
	@touch out/.gitkeep

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
