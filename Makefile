# handout: the generative-models handout generator.  Hand-written; see README.md.
#
#   make report   build out/report.pdf and out/data/*.csv from report.conf (default goal)
#   make test     run every test
#   make help     list all targets

.DEFAULT_GOAL := report
SHELL := /bin/sh

# ---------------------------------------------------------------- packages
# Debian packages the project needs.  `make deps` (run automatically before the
# first build) installs the missing ones when run as root, and otherwise prints
# the exact apt-get line to run.
BUILD_PACKAGES := build-essential libgsl-dev libhpdf-dev libpcre2-dev libhyphen-dev hyphen-en-us \
	fonts-arphic-uming fonts-wqy-microhei fonts-dejavu-core fonts-dejavu-extra fonts-freefont-ttf
TEST_PACKAGES := libcmocka-dev qpdf poppler-utils mupdf-tools ghostscript valgrind

define ensure_packages
	@missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
	  for p in $(1); do \
	    dpkg-query -W -f='$${db:Status-Abbrev}' "$$p" 2>/dev/null | grep -q '^ii' || missing="$$missing $$p"; \
	  done; \
	fi; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "make: installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "make: missing Debian packages. Install them with:"; \
	    echo "  sudo apt-get install$$missing"; \
	    exit 1; \
	  fi; \
	fi
endef

# ---------------------------------------------------------------- compiler
CC ?= cc
CFLAGS ?= -O2 -g
WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wpointer-arith -Wformat=2 -Wundef
ifeq ($(CI),true)
WARNINGS += -Werror
endif
ifdef WERROR
WARNINGS += -Werror
endif
ALL_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L $(WARNINGS) $(CFLAGS) -MMD -MP
LIBS := -lhpdf -lgsl -lgslcblas -lpcre2-8 -lhyphen -lm

BUILD := build
OUT := out
BIN := $(BUILD)/handout

# One module = one .c + one .h (DESIGN.md).  Pipeline order.
MODULES := util diag atomicfile rx dataset mixture config rng numeric moons kde histogram \
	locator contour divergence compute csvout figspec doc dlist colors plot hyphenate linebreak mathfont pdf plot_pdf plot_svg plot_dump figures texmath layout layout_pdf report
LIB_OBJS := $(MODULES:%=$(BUILD)/obj/%.o)
MAIN_OBJ := $(BUILD)/obj/main.o

UNIT_TESTS := util atomicfile mathfont rng numeric mixture config locator contour kde divergence pdf figspec doc dlist colors plot linebreak texmath layout layout_pdf
UNIT_BINS := $(UNIT_TESTS:%=$(BUILD)/tests/test_%)
TOOL_BINS := $(BUILD)/tests/csvcmp

.PHONY: report test golden clean help deps deps-test bench check-unit check-golden \
	check-errors check-figspec-errors check-template-errors check-figures check-layout check-pdf check-cli check-layout-pdf crosscheck mathcompare asan valgrind FORCE

# ---------------------------------------------------------------- build
$(BUILD)/deps.stamp: Makefile
	$(call ensure_packages,$(BUILD_PACKAGES))
	@mkdir -p $(@D) && touch $@

$(BUILD)/deps-test.stamp: Makefile
	$(call ensure_packages,$(BUILD_PACKAGES) $(TEST_PACKAGES))
	@mkdir -p $(@D) && touch $@

deps: $(BUILD)/deps.stamp
deps-test: $(BUILD)/deps-test.stamp

$(BUILD)/obj/%.o: src/%.c | $(BUILD)/deps.stamp
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BIN): $(LIB_OBJS) $(MAIN_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# The run writes out/data/*.csv and, last and atomically, out/report.pdf.
# ARGS (e.g. ARGS='--set moons.noise=0.2') reruns it when it changes.
export ARGS
$(BUILD)/args.stamp: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' "$$ARGS" | cmp -s - $@ || printf '%s\n' "$$ARGS" > $@

FIGURE_SPECS := $(wildcard figures/*.fig)
TEMPLATES := $(wildcard templates/[0-9]*.md)

$(OUT)/report.pdf: $(BIN) report.conf $(FIGURE_SPECS) $(TEMPLATES) $(BUILD)/args.stamp
	$(BIN) --config report.conf --outdir $(OUT) $(ARGS)

report: $(OUT)/report.pdf

# ---------------------------------------------------------------- tests
$(BUILD)/tests/test_%.o: tests/unit/test_%.c | $(BUILD)/deps-test.stamp
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -iquote src -c $< -o $@

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS) -lcmocka

$(BUILD)/tests/csvcmp: tests/csvcmp.c | $(BUILD)/deps-test.stamp
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< -lm

check-unit: $(UNIT_BINS)
	@tests/run-unit.sh $(UNIT_BINS)

# Figure data with the default configuration against tests/golden/.
check-golden: $(BIN) $(TOOL_BINS)
	@tests/check-golden.sh $(BIN) $(BUILD)/tests/csvcmp

check-errors: $(BIN)
	@tests/check-errors.sh $(BIN)

check-figures: $(BIN) | $(BUILD)/deps-test.stamp
	@tests/check-figures.sh $(BIN)

check-layout-pdf: $(BUILD)/tests/test_layout_pdf | $(BUILD)/deps-test.stamp
	@tests/check-layout-pdf.sh $(BUILD)/tests/test_layout_pdf

check-layout: $(BIN)
	@tests/check-layout.sh $(BIN)

check-template-errors: $(BIN)
	@tests/check-template-errors.sh $(BIN)

check-figspec-errors: $(BIN)
	@tests/check-figspec-errors.sh $(BIN)

check-cli: $(BIN) $(TOOL_BINS)
	@tests/check-cli.sh $(BIN) $(BUILD)/tests/csvcmp

check-pdf: $(BIN) | $(BUILD)/deps-test.stamp
	@tests/check-pdf.sh $(BIN)

# Every check runs even after a failure; the summary line closes the run.
test: $(BUILD)/deps-test.stamp
	@rm -f $(BUILD)/test.log
	@$(MAKE) --no-print-directory -k check-unit check-golden check-errors check-figspec-errors check-template-errors check-figures check-layout check-cli check-pdf check-layout-pdf || \
	  echo "FAIL make: a check did not build or run to its end" >>$(BUILD)/test.log; \
	  tests/summary.sh

# Re-bless the golden CSVs from the default configuration.  Only on purpose:
# say why in the commit message.
golden: $(BIN)
	@rm -rf $(BUILD)/golden-out
	$(BIN) --no-config --outdir $(BUILD)/golden-out --dump-figures --dump-layout
	@mkdir -p tests/golden/figures
	cp $(BUILD)/golden-out/data/*.csv tests/golden/
	cp $(BUILD)/golden-out/figures/*.dump tests/golden/figures/
	cp $(BUILD)/golden-out/layout.dump tests/golden/
	@echo "make: re-blessed tests/golden/ - review with git diff, give the reason in the commit message"

# Independent check against the seed's own Python code (needs Debian's
# python3-numpy, python3-scipy, python3-sklearn, python3-matplotlib; not part
# of `make test`, the project itself never needs Python).
crosscheck: $(BIN) $(TOOL_BINS)
	@tests/crosscheck/run.sh $(BIN) $(BUILD)/tests/csvcmp

# Dev only: every formula of the templates set by texmath and by xelatex,
# side by side at 150 dpi in build/mathcompare/ (tests/mathcompare/README.md).
# Needs texlive-xetex texlive-latex-extra texlive-lang-chinese, poppler-utils,
# mupdf-tools and python3; never part of `make test` or `make report`.
$(BUILD)/tests/mathpdf: tests/mathcompare/mathpdf.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -iquote src $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(LIBS)

# MATHREF=lm: xelatex with Latin Modern Math (texmath's TeX parameters) in
# build/mathcompare-lm/ instead of DejaVu Math (our math font).
mathcompare: $(BUILD)/tests/mathpdf
	@MATHREF='$(MATHREF)' tests/mathcompare/run.sh $(BUILD)/tests/mathpdf \
		$(BUILD)/mathcompare$(if $(MATHREF),-$(MATHREF))

bench: $(BIN)
	@tests/bench.sh $(BIN)

asan:
	$(MAKE) BUILD=build-asan CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer' \
		LDFLAGS='-fsanitize=address,undefined' check-unit check-golden

valgrind: $(BIN)
	valgrind --error-exitcode=9 --leak-check=full -q $(BIN) --no-config --outdir $(BUILD)/valgrind-out

clean:
	rm -rf $(BUILD) build-asan $(OUT)

help:
	@echo "make report     build out/report.pdf and out/data/*.csv from report.conf (default)"
	@echo "                ARGS='--set section.key=value ...' overrides parameters"
	@echo "make test       run every test (unit, golden data, error messages, CLI, PDF checks)"
	@echo "make golden     re-bless tests/golden/ from the default configuration"
	@echo "make bench      time the whole run"
	@echo "make crosscheck compare out/data with the seed's Python code (dev only)"
	@echo "make mathcompare every formula beside xelatex's, build/mathcompare/ (dev only)"
	@echo "make asan       unit and golden tests under AddressSanitizer/UBSan"
	@echo "make valgrind   one full run under valgrind"
	@echo "make deps       install (as root) or list the Debian packages needed"
	@echo "make clean      remove build/ and out/"

FORCE:

# Keep the unit-test objects between runs.
.SECONDARY: $(UNIT_BINS:=.o)

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_BINS:=.d)
