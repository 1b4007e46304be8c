# precis — terminal browser for transcript archives.
# `make run` installs what is missing, builds and opens the default archive.
# `make test` builds everything with ASan/UBSan and runs every test.

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc

# libcurl and libcrypto are not linked: net/curl_dl.c and db/crypto_dl.c
# load them with dlopen() when first needed (their headers are used), so
# commands that need neither do not pay ~11 ms of start-up mapping them;
# nor is ICU (C++ and a 30 MB data library): db/formats/charset.c loads
# its charset detector the first time an imported file is not UTF-8.
PKGS      := ncursesw sqlite3 libutf8proc jansson md4c libunibreak inih
DL_PKGS   := libcurl libcrypto icu-i18n
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) $(DL_PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
VERSION   := $(shell cat VERSION 2>/dev/null || echo 0.1.0)

WARN    := -Wall -Wextra -Wshadow -Wno-unused-parameter
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c17 -D_GNU_SOURCE -DPRECIS_VERSION='"$(VERSION)"' -I. $(WARN) $(PKG_CFLAGS) $(CFLAGS)
LDLIBS  += $(PKG_LIBS) -lm -lpthread -ldl

# Core modules never touch ncurses; tui/ is the only place that draws.
# Sources are found in subfolders too (db/formats/, render/mermaid/, tui/cli/,
# …); render/gen/ holds generators with their own main().
CORE_SRC := $(sort $(shell find db net render -name '*.c' -not -path 'render/gen/*' 2>/dev/null))
TUI_SRC  := $(sort $(shell find tui -name '*.c'))
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ  := $(TUI_SRC:%.c=$(BUILD)/%.o)

# Test build: same sources, sanitizers on.
TBUILD   := $(BUILD)/san
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer
T_CFLAGS  = -std=c17 -D_GNU_SOURCE -DPRECIS_VERSION='"$(VERSION)"' -I. $(WARN) $(PKG_CFLAGS) -O1 -g $(SAN)
T_CORE_OBJ := $(CORE_SRC:%.c=$(TBUILD)/%.o)
T_TUI_OBJ  := $(TUI_SRC:%.c=$(TBUILD)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(TBUILD)/tests/%)
UNIT_SUPPORT := $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))
# Unit tests may test tui/ modules too (config, keymap, …): everything but main.
T_TUI_LIB := $(filter-out $(TBUILD)/tui/main.o,$(T_TUI_OBJ))

BENCH_SRC := $(sort $(wildcard bench/*.c))
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

DEPS_PKGS := build-essential pkg-config libncurses-dev libsqlite3-dev \
             libcurl4-openssl-dev libutf8proc-dev libjansson-dev libmd4c-dev \
             libunibreak-dev libinih-dev libssl-dev libicu-dev libcmocka-dev tmux sqlite3 python3 curl \
             postgresql libpq-dev \
             groff zsh
BENCH_PKGS := ripgrep libgraph-easy-perl graphviz
FUZZ_PKGS  := clang libclang-rt-14-dev

.PHONY: all run test bench install uninstall clean deps deps-bench fuzz unit check-layers docs
all: precis

precis: $(CORE_OBJ) $(TUI_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(TBUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(T_CFLAGS) -MMD -MP -c -o $@ $<

$(TBUILD)/precis: $(T_CORE_OBJ) $(T_TUI_OBJ)
	$(CC) $(T_CFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

$(TBUILD)/tests/%: tests/unit/%.c $(UNIT_SUPPORT) $(T_CORE_OBJ) $(T_TUI_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(T_CFLAGS) -o $@ $< $(UNIT_SUPPORT) $(T_CORE_OBJ) $(T_TUI_LIB) $(LDFLAGS) $(LDLIBS) -lcmocka

$(BUILD)/bench/%: bench/%.c $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -O2 -o $@ $< $(CORE_OBJ) $(LDFLAGS) $(LDLIBS)

# Install only what is missing (a fresh Debian 12 needs root or sudo).
# Node.js runs the official Mermaid parser in the tests (tests/mermaid-js):
# Debian's when there is no node/npm at all; without it those tests skip.
deps:
	@sh tests/deps.sh $(DEPS_PKGS)
	@command -v node >/dev/null && command -v npm >/dev/null || sh tests/deps.sh nodejs npm || \
	 echo "precis: nodejs/npm not installed: the tests through the official Mermaid parser will be skipped" >&2
# Node.js may come from elsewhere than Debian (its npm then conflicts with
# Debian's): install Debian's only when there is no node/npm at all.
deps-bench:
	@sh tests/deps.sh $(DEPS_PKGS) $(BENCH_PKGS)
	@command -v node >/dev/null && command -v npm >/dev/null || sh tests/deps.sh nodejs npm

run: deps
	@$(MAKE) --no-print-directory precis
	./precis

unit: $(UNIT_BIN) $(TBUILD)/precis

# The layers, proven from the objects: nothing in db/, render/, net/ draws
# or writes escape sequences, nothing calls up into tui/ (or db/ into net/),
# no file-level call cycle (tests/check_layers.py; known exceptions, each
# with its owner, in tests/layers.allow).
LAYER_ALLOW := $(wildcard tests/layers.allow)
check-layers: $(T_CORE_OBJ) $(T_TUI_OBJ)
	@python3 tests/check_layers.py $(if $(LAYER_ALLOW),--allow $(LAYER_ALLOW)) $(TBUILD) $(T_CORE_OBJ) $(T_TUI_OBJ)

test: deps
	@sh tests/mermaid-js/setup.sh
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory check-layers
	@BUILD=$(BUILD) PRECIS=$(CURDIR)/$(TBUILD)/precis LAYER_ROOT=$(TBUILD) \
	 LAYER_OBJS="$(T_CORE_OBJ) $(T_TUI_OBJ)" sh tests/run.sh $(UNIT_BIN)

bench: deps-bench
	@sh tests/mermaid-js/setup.sh
	@$(MAKE) --no-print-directory precis $(BENCH_BIN)
	@BUILD=$(BUILD) sh bench/run.sh

# Builds every fuzz target, then runs the Mermaid timeout check
# (tests/fuzz/run_mermaid.sh: FUZZ_TIME seconds of fuzzing, default 60).
fuzz:
	@sh tests/deps.sh $(FUZZ_PKGS)
	@$(MAKE) --no-print-directory -f tests/fuzz/Makefile
	@sh tests/fuzz/run_mermaid.sh

# The completions are made by the program from its table of commands and
# options (tui/cli/options.h), so they never lag behind it.
BASH_COMPDIR := $(PREFIX)/share/bash-completion/completions
ZSH_COMPDIR  := $(PREFIX)/share/zsh/site-functions
install: precis
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 precis $(DESTDIR)$(PREFIX)/bin/precis
	[ ! -f docs/precis.1 ] || install -m 644 docs/precis.1 $(DESTDIR)$(PREFIX)/share/man/man1/precis.1
	install -d $(DESTDIR)$(BASH_COMPDIR) $(DESTDIR)$(ZSH_COMPDIR)
	./precis --completion bash >$(DESTDIR)$(BASH_COMPDIR)/precis
	./precis --completion zsh >$(DESTDIR)$(ZSH_COMPDIR)/_precis

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/precis $(DESTDIR)$(PREFIX)/share/man/man1/precis.1 \
	      $(DESTDIR)$(BASH_COMPDIR)/precis $(DESTDIR)$(ZSH_COMPDIR)/_precis

# The README's and the man page's generated parts (key tables, command
# table, synopsis, option lists), from the program's tables.
docs: precis
	sh docs/generate.sh ./precis

clean:
	rm -rf $(BUILD) build-* precis

-include $(CORE_OBJ:.o=.d) $(TUI_OBJ:.o=.d) $(T_CORE_OBJ:.o=.d) $(T_TUI_OBJ:.o=.d)

# The sample records are compiled into the binary (tui/cli/samples.c).
$(BUILD)/tui/cli/samples.o $(TBUILD)/tui/cli/samples.o: $(wildcard data/samples/*.txt)

# The default prompt is compiled into the binary (net/prompt.c).
$(BUILD)/net/prompt.o $(TBUILD)/net/prompt.o: data/prompts/default.prompt
