# gpt1.c
#   make            the library build/libgpt1.a and the programs
#   make check      the unit tests (installs the Check library first when it is missing)
#   make debug      everything again in build/debug with -O0 -g3 and Address/UB sanitizers
#   make bench      speed and memory measurements
#   make bench-side-by-side   the training steps of make bench beside PyTorch's, in one run
#                   (needs /usr/bin/python3 with torch: a development tool, not a dependency)
#   make fuzz       hostile inputs for the sanitizer build, about two minutes (tests/fuzz)
#   make clean
#   make tutorials, make exercise N=04, make exercises-check, make gdb-check: the teaching
#                   targets, in tutorials/tutorials.mk
#
# MODE selects the build for any target: `make MODE=debug check` runs the tests with
# the sanitizers; MODE=memcheck builds for valgrind (portable x86-64 code: valgrind
# cannot run the AVX-512 instructions that -march=native may choose); MODE=exact is the
# release build without fused multiply-add, whose numbers are the same bits with gcc or
# clang on any x86-64 machine (the labs' documented numbers come from it); MODE=tsan builds
# with ThreadSanitizer, which watches the kernels' threads (tensor/parallel.c) for races.

MODE ?= release
BUILD_ROOT ?= build
ifeq ($(MODE),debug)
  BUILD := $(BUILD_ROOT)/debug
  OPTFLAGS := -O0 -g3 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else ifeq ($(MODE),memcheck)
  BUILD := $(BUILD_ROOT)/memcheck
  OPTFLAGS := -O1 -g
else ifeq ($(MODE),exact)
  BUILD := $(BUILD_ROOT)/exact
  # No -ffp-contract=fast: ISO C mode rounds a·b + c twice, as the source says, whatever
  # the CPU; the only thing that differs between the release builds of two machines.
  OPTFLAGS := -O3 -march=native -g
else ifeq ($(MODE),tsan)
  BUILD := $(BUILD_ROOT)/tsan
  OPTFLAGS := -O1 -g -fsanitize=thread
else
  BUILD := $(BUILD_ROOT)
  # -ffp-contract=fast lets the compiler fuse a*b+c into one FMA instruction (ISO C mode
  # forbids it otherwise); it is not -ffast-math: no reassociation, NaN and inf behave.
  OPTFLAGS := -O3 -march=native -ffp-contract=fast -g
endif

# -pthread: the kernels' thread pool (POSIX threads, part of the C library).
CFLAGS := -std=c11 -Wall -Wextra -Werror -pedantic -pthread -I. $(OPTFLAGS) $(EXTRA_CFLAGS)
LDLIBS := -lm
# Expanded when a recipe runs, after `deps` has had the chance to install Check.
CHECK_CFLAGS = $(shell pkg-config --cflags check)
CHECK_LIBS = $(shell pkg-config --libs check)

LIB_SRCS := $(wildcard tensor/*.c autograd/*.c nn/*.c gpt/*.c gpt/io/*.c gpt/tokenizer/*.c gpt/tasks/*.c gpt/pictures/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
LIB := $(BUILD)/libgpt1.a
TEST_SRCS := $(wildcard tests/*.c)
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD)/obj/%.o)
TEST_BIN := $(BUILD)/tests/run_tests
FUZZ_SRCS := $(wildcard tests/fuzz/*.c)
FUZZ_OBJS := $(FUZZ_SRCS:%.c=$(BUILD)/obj/%.o)
BENCH_SRCS := $(wildcard tests/bench/*.c)
BENCH_BINS := $(BENCH_SRCS:tests/bench/%.c=$(BUILD)/bench/%)
TUTORIALS := $(patsubst tutorials/%.c,$(BUILD)/tutorials/%,$(wildcard tutorials/*.c))
CLI_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard gpt/cli/*.c)) $(BUILD)/obj/corpus.o
PROGRAMS := $(BUILD)/gpt $(TUTORIALS)
# The embedded default corpus: the project's own prose, in a fixed order, without its
# code blocks, tables and HTML comments, so that a model trained on it writes English.
CORPUS_FILES := README.md $(sort $(wildcard docs/*.md)) $(sort $(wildcard tutorials/*.md))

.PHONY: all check test-run debug bench clean deps cli-reference
all: $(LIB) $(PROGRAMS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# The CLI tests run the gpt program of the same build.
$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CHECK_CFLAGS) -DGPT_PROGRAM='"$(BUILD)/gpt"' -MMD -MP -c $< -o $@

# Made afresh: `ar r` into an old archive would keep the members of renamed files.
$(LIB): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/gpt: $(CLI_OBJS) $(LIB)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

# The prose: awk drops fenced code blocks (``` to ```), table rows (| ... |) and HTML
# comment lines, and keeps the words of the markup that remains: a heading loses its
# #s, `code` and **bold** their marks, a link [text](target) keeps its text. make
# check's corpus-check makes sure none of it is left.
$(BUILD)/corpus.txt: $(CORPUS_FILES) Makefile
	@mkdir -p $(dir $@)
	@awk '/^ *```/ { code = !code; next } code || /^ *\|/ || /^ *<!--/ { next } \
	      { while (match($$0, /\[[^]]*\]\([^)]*\)/)) { \
	          link = substr($$0, RSTART, RLENGTH); \
	          $$0 = substr($$0, 1, RSTART - 1) substr(link, 2, index(link, "](") - 2) substr($$0, RSTART + RLENGTH) } \
	        sub(/^#+ +/, ""); gsub(/[`*]/, ""); print }' $(CORPUS_FILES) > $@

# od (coreutils) turns the corpus into a C array: no tool beyond the shell is needed.
$(BUILD)/corpus.c: $(BUILD)/corpus.txt
	@{ echo '/* generated from the prose of $(CORPUS_FILES) */'; \
	   echo 'const unsigned char embedded_corpus[] = {'; \
	   od -An -v -tu1 $< | sed 's/\([0-9][0-9]*\)/\1,/g'; \
	   echo '0};'; \
	   echo 'const unsigned long embedded_corpus_size = sizeof embedded_corpus - 1;'; } > $@

# The embedded corpus is prose: no code fence, table row or HTML comment got through.
.PHONY: corpus-check
corpus-check: $(BUILD)/corpus.txt
	@if grep -n '^ *```\|^ *|\|^ *<!--\|^#\|`\|](' $< | head -n 3 | grep .; then \
	  echo "corpus: $< still holds code, tables, comments or markup (the awk of its rule in the Makefile)"; exit 1; fi
	@echo "corpus: $$(wc -c < $<) bytes of prose from $(words $(CORPUS_FILES)) files"

$(BUILD)/obj/corpus.o: $(BUILD)/corpus.c
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/tutorials/%: $(BUILD)/obj/tutorials/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

$(TEST_BIN): $(TEST_OBJS) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $^ -o $@ $(CHECK_LIBS) $(LDLIBS)

$(BUILD)/fuzz/fuzz: $(FUZZ_OBJS) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/bench/%: $(BUILD)/obj/tests/bench/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

# The tests need the Check library; install it (and pkg-config) when it is missing.
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists check; then \
	  echo "Installing the Check unit-test library with apt-get"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq check pkg-config >/dev/null; \
	fi

check: deps
	@$(MAKE) --no-print-directory test-run

test-run: floors doc-quotes retired-claims function-names corpus-check $(TEST_BIN) $(PROGRAMS)
	$(TEST_BIN)

# Every code block of the docs marked "<!-- quoted from FILE -->" is still in FILE.
.PHONY: doc-quotes
doc-quotes:
	@sh tests/check_doc_quotes.sh
	@sh tests/check_doc_quotes.sh --self-test

# No statement corrected once comes back (the list is in the script).
.PHONY: retired-claims
retired-claims:
	@sh tests/check_retired_claims.sh
	@sh tests/check_retired_claims.sh --self-test

# No file includes a floor above its own (the floors are listed in the script).
.PHONY: floors
floors:
	@sh tests/check_floors.sh
	@sh tests/check_floors.sh --self-test
	@sh tests/check_floors.sh --check-doc

# No two functions of the project share a name: `break NAME` in gdb stops in one place.
.PHONY: function-names
function-names:
	@sh tests/check_function_names.sh
	@sh tests/check_function_names.sh --self-test

debug:
	@$(MAKE) --no-print-directory MODE=debug all

# Plants each mistake of tests/mutation/mutants.txt in a scratch copy and runs make check
# on it: fails when a mutant survives (docs/mutation.md).
.PHONY: mutation
mutation:
	@sh tests/mutation/run.sh --self-test
	@sh tests/mutation/run.sh -j 2

# Generated hostile inputs (mutated checkpoints, vocabularies, task files, extreme option
# values) run against the sanitizer build's gpt program (tests/fuzz/fuzz.h). A fixed
# budget: cases 0 to FUZZ_CASES-1 of seed FUZZ_SEED, the same cases on every run however
# busy the machine (1000 use about 90 s of CPU: a minute or so on two idle cores, longer on
# a busy machine). `make fuzz FUZZ_SEED=7 FUZZ_CASES=5000` tries 5000 other cases;
# FUZZ_SECONDS=300 starts none after 300 s.
FUZZ_SEED ?= 1
FUZZ_CASES ?= 1000
FUZZ_SECONDS ?= 0
.PHONY: fuzz
fuzz:
	@$(MAKE) --no-print-directory MODE=debug $(BUILD_ROOT)/debug/gpt $(BUILD_ROOT)/debug/fuzz/fuzz
	$(BUILD_ROOT)/debug/fuzz/fuzz --gpt $(BUILD_ROOT)/debug/gpt --seed $(FUZZ_SEED) --cases $(FUZZ_CASES) \
	  --seconds $(FUZZ_SECONDS)

# The training steps of three model sizes: tiny and small as in class, gpt1 as in the paper,
# on one thread and on all the machine's cores (or GPT_THREADS).
bench: $(BENCH_BINS) $(PROGRAMS)
	@for b in $(BENCH_BINS); do $$b || exit 1; done
	@for threads in "--threads 1" ""; do \
	  $(BUILD)/gpt bench --preset tiny --batch 8 --seq 64 --steps 20 $$threads || exit 1; \
	  $(BUILD)/gpt bench --preset small --batch 8 --seq 256 --steps 10 $$threads || exit 1; \
	  $(BUILD)/gpt bench --preset gpt1 --batch 1 --seq 128 --steps 10 $$threads || exit 1; done

.PHONY: bench-side-by-side
bench-side-by-side: $(BUILD)/gpt
	GPT=$(BUILD)/gpt tests/reference/bench_side_by_side.sh

# GPT-1's tokenizer on its released vocabulary and the shared data sets, which are not
# part of the repository (so this is not in make check): known ids and round trips.
SHARED ?= ../shared/data
GPT1_CHECK_FILES := $(SHARED)/tinyshakespeare/input.txt $(SHARED)/sst2/train.tsv $(SHARED)/sst2/dev.tsv \
  $(SHARED)/sick/SICK_train.txt $(SHARED)/mrpc/msr_paraphrase_train.txt $(SHARED)/stsb/sts-train.csv \
  $(SHARED)/sick/SICK_trial.txt $(SHARED)/stsb/sts-dev.csv $(SHARED)/storycloze/cloze_test_val__spring2016.csv \
  $(wildcard $(SHARED)/gutenberg/*.txt) $(wildcard $(SHARED)/books/*.txt)
$(BUILD)/checks/gpt1_vocab_check: $(BUILD)/obj/tests/shared_data/gpt1_vocab_check.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

.PHONY: gpt1-vocab-check
gpt1-vocab-check: $(BUILD)/checks/gpt1_vocab_check
	$(BUILD)/checks/gpt1_vocab_check $(SHARED)/gpt1 $(GPT1_CHECK_FILES)

# docs/cli.md is every command's --help as the program prints it; a test fails when
# it is out of date, and this target rewrites it.
cli-reference: $(BUILD)/gpt
	@{ echo '# The gpt program'; echo; \
	   echo 'Every command and option, exactly as `build/gpt <command> --help` prints them.'; \
	   echo '(`make cli-reference` rewrites this page; a unit test fails when it is out of date.)'; \
	   echo; echo '```'; $(BUILD)/gpt --help; echo '```'; \
	   for c in $$($(BUILD)/gpt --help | awk '/^  [a-z]/ {print $$1}'); do \
	     echo; echo "## gpt $$c"; echo; echo '```'; $(BUILD)/gpt $$c --help; echo '```'; done; } > docs/cli.md

clean:
	rm -rf build

-include $(LIB_OBJS:.o=.d) $(TEST_OBJS:.o=.d) $(CLI_OBJS:.o=.d) $(FUZZ_OBJS:.o=.d)

# Tutorials, labs, exercises and the debugger check: see the top of tutorials/tutorials.mk.
include tutorials/tutorials.mk
