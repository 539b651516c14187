# The teaching targets, included by the Makefile:
#   make tutorials         build and run every tutorial, lab and "Try this" variant; each checks
#                          what its page claims
#   make try T=04 V=heads4 one "Try this" variant of a tutorial (make try lists them)
#   make exercise N=04     grade your version of exercise 04 (SOLUTION=1: grade the library's own);
#                          RUN=06_pretrain: then run tutorial 06 with it in the library
#   make exercises-check   every grader fails its blank exercise and every known wrong solution
#                          (tutorials/exercises/wrong/), and passes the library's code
#   make gdb-check         run tutorials/gdb/gpt1.gdb in gdb -batch on a tutorial, and the gdb
#                          prompts of the tutorials' "Try this"; check the output
#   make equation-map      docs/equations.md agrees with the code's // Eq: tags (run by make check)
#   make labs-doc-check    the numbers of docs/labs.md are those of a run (of the MODE=exact build)
# docs/exercises.md, docs/labs.md and docs/debugging.md explain them.

.PHONY: tutorials try try-check exercise exercises-check exercise-run-usage exercises-run-check gdb-check \
        equation-map labs-doc-check

# --- The labs: numbered programs, sharing the switchable model of variant.c ------------
LAB_PROGRAM_SRCS := $(wildcard tutorials/labs/[0-9]*.c)
LAB_COMMON_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(filter-out $(LAB_PROGRAM_SRCS),$(wildcard tutorials/labs/*.c)))
LABS := $(patsubst tutorials/labs/%.c,$(BUILD)/labs/%,$(LAB_PROGRAM_SRCS))

$(BUILD)/labs/%: $(BUILD)/obj/tutorials/labs/%.o $(LAB_COMMON_OBJS) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

# Every build compiles the labs too, and make check runs the equation-map check.
all: $(LABS)
test-run: equation-map try-check $(LABS)

# The numbers docs/labs.md quotes are those of a run of the MODE=exact build (no fused
# multiply-add: the same bits with any compiler on any x86-64 machine); every quoted
# line must be in that run's output.
labs-doc-check:
	@$(MAKE) --no-print-directory MODE=exact $(patsubst $(BUILD)/%,$(BUILD_ROOT)/exact/%,$(LABS))
	@for lab in $(patsubst $(BUILD)/%,$(BUILD_ROOT)/exact/%,$(LABS)); do $$lab > $$lab.out 2>&1 || exit 1; done
	@sh tutorials/labs/check_doc.sh $(BUILD_ROOT)/exact/labs
	@sh tutorials/labs/check_doc.sh --self-test $(BUILD_ROOT)/exact/labs

equation-map:
	@sh tests/check_equation_map.sh
	@sh tests/check_equation_map.sh --self-test

# --- Try this ---------------------------------------------------------------------
# Every prompt of a tutorial page's "Try this" section runs. A line "// Try: NAME FLAGS"
# in tutorials/NN_*.c builds the program again with FLAGS as $(BUILD)/try/NN_*.NAME
# ("stops: TEXT" after the flags: the variant must stop with that message); a prompt
# about the gpt program is a script, tutorials/try/NN_NAME.sh. `make try T=04 V=heads4`
# runs one, `make tutorials` all of them; tutorials/try/check_pages.sh (run by make
# check) keeps the pages' prompts and the variants in step.
TUTORIAL_NAMES := $(basename $(notdir $(wildcard tutorials/[0-9][0-9]_*.c)))
try_names = $(shell sed -n 's|^// Try: \([a-z0-9_]*\) .*|\1|p' tutorials/$(1).c)
try_flags = $(filter -D%,$(shell sed -n 's|^// Try: $(2) ||p' tutorials/$(1).c))
TRY_PROGRAMS := $(foreach t,$(TUTORIAL_NAMES),$(foreach v,$(call try_names,$(t)),$(BUILD)/try/$(t).$(v)))
TRY_SCRIPTS := $(wildcard tutorials/try/[0-9][0-9]_*.sh)

define TRY_RULE
$(BUILD)/try/$(1).$(2): tutorials/$(1).c $(LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $(call try_flags,$(1),$(2)) -MMD -MP -MT $$@ -MF $$@.d $$< $(LIB) -o $$@ $$(LDLIBS)
endef
$(foreach t,$(TUTORIAL_NAMES),$(foreach v,$(call try_names,$(t)),$(eval $(call TRY_RULE,$(t),$(v)))))
-include $(TRY_PROGRAMS:=.d)

TRY_TUTORIAL := $(firstword $(basename $(notdir $(wildcard tutorials/$(T)_*.c tutorials/0$(T)_*.c))))
TRY_SCRIPT := $(wildcard tutorials/try/$(T)_$(V).sh tutorials/try/0$(T)_$(V).sh)
TRY_TARGET := $(if $(TRY_SCRIPT),$(TRY_SCRIPT),$(if $(filter $(TRY_TUTORIAL).$(V),$(notdir $(TRY_PROGRAMS))),$(BUILD)/try/$(TRY_TUTORIAL).$(V)))
try: $(if $(filter %.sh,$(TRY_TARGET)),$(BUILD)/gpt $(LIB),$(TRY_TARGET))
	@if [ -z "$(TRY_TARGET)" ]; then \
	  echo "usage: make try T=NN V=NAME, one of:"; \
	  echo "$(patsubst $(BUILD)/try/%,%,$(TRY_PROGRAMS)) $(patsubst tutorials/try/%.sh,%,$(TRY_SCRIPTS))" | tr ' ' '\n' | sed 's/^/  /'; \
	  exit 2; fi
	@BUILD=$(BUILD) CC="$(CC)" CFLAGS="$(CFLAGS)" sh tutorials/run_all.sh --show $(TRY_TARGET)

# (After the definitions above: make expands a rule's prerequisites as it reads it.)
tutorials: $(TUTORIALS) $(LABS) $(TRY_PROGRAMS) $(BUILD)/gpt
	@BUILD=$(BUILD) CC="$(CC)" CFLAGS="$(CFLAGS)" sh tutorials/run_all.sh $(TUTORIALS) $(LABS) $(TRY_PROGRAMS) \
	  $(TRY_SCRIPTS)

try-check:
	@sh tutorials/try/check_pages.sh
	@sh tutorials/try/check_pages.sh --self-test
	@sh tutorials/run_all.sh --self-test

# --- Exercises ----------------------------------------------------------------------
# An exercise file holds one or more library functions with their bodies removed, and
# a line "// Replaces: <library file> <function>...". Its grader links the student's
# functions with a copy of that library file in which the definitions of those
# functions are renamed library_<name> (sed, on the lines that start a definition, so
# that the calls inside the file still reach the student's), and the rest of the
# library (libgpt1.a) comes after: the linker takes nothing from the archive that the
# objects before it already define.
EXERCISE_NAMES := $(basename $(notdir $(wildcard tutorials/exercises/[0-9][0-9]_*.c)))
EXERCISES_BUILD := $(BUILD)/exercises
GRADE_OBJ := $(BUILD)/obj/tutorials/exercises/graders/grade.o
replaced = $(shell sed -n 's|^// Replaces: ||p' tutorials/exercises/$(1).c)
PAREN := (
# sed expressions renaming the definitions of the functions $(1): "void name(" -> "void library_name("
rename_definitions = $(foreach f,$(1),-e 's/^\([A-Za-z].*[ *]\)$(f)$(PAREN)/\1library_$(f)$(PAREN)/')

define EXERCISE_RULES
$(EXERCISES_BUILD)/$(1): $(BUILD)/obj/tutorials/exercises/graders/$(1).o $(GRADE_OBJ) \
		$(BUILD)/obj/tutorials/exercises/$(1).o $(EXERCISES_BUILD)/obj/$(1).library.o $(LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $$^ -o $$@ $$(LDLIBS)
$(EXERCISES_BUILD)/$(1).solution: $(BUILD)/obj/tutorials/exercises/graders/$(1).o $(GRADE_OBJ) $(LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $$^ -o $$@ $$(LDLIBS)
$(EXERCISES_BUILD)/src/$(1).library.c: $(firstword $(call replaced,$(1))) tutorials/exercises/$(1).c
	@mkdir -p $$(dir $$@)
	sed $(call rename_definitions,$(wordlist 2,99,$(call replaced,$(1)))) $$< > $$@
$(EXERCISES_BUILD)/obj/$(1).library.o: $(EXERCISES_BUILD)/src/$(1).library.c
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) -c $$< -o $$@
endef
$(foreach e,$(EXERCISE_NAMES),$(eval $(call EXERCISE_RULES,$(e))))

# A known wrong solution, tutorials/exercises/wrong/NN_what.c, is a whole exercise file
# with one classic mistake; it is graded like an answer to exercise NN, and
# exercises-check requires each to FAIL (docs/exercises.md).
WRONG_NAMES := $(basename $(notdir $(wildcard tutorials/exercises/wrong/[0-9][0-9]_*.c)))
exercise_of = $(basename $(notdir $(wildcard tutorials/exercises/$(firstword $(subst _, ,$(1)))_*.c)))

define WRONG_RULES
$(EXERCISES_BUILD)/wrong/$(1): $(BUILD)/obj/tutorials/exercises/graders/$(2).o $(GRADE_OBJ) \
		$(BUILD)/obj/tutorials/exercises/wrong/$(1).o $(EXERCISES_BUILD)/obj/$(2).library.o $(LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $$^ -o $$@ $$(LDLIBS)
endef
$(foreach w,$(WRONG_NAMES),$(eval $(call WRONG_RULES,$(w),$(call exercise_of,$(w)))))

EXERCISE := $(firstword $(basename $(notdir $(wildcard tutorials/exercises/$(N)_*.c tutorials/exercises/0$(N)_*.c))))
exercise: $(if $(EXERCISE),$(EXERCISES_BUILD)/$(EXERCISE)$(if $(SOLUTION),.solution))
	@if [ -z "$(EXERCISE)" ]; then \
	  echo "usage: make exercise N=NN [SOLUTION=1] [RUN=TUTORIAL], one of: $(EXERCISE_NAMES)"; exit 2; fi
	@$(EXERCISES_BUILD)/$(EXERCISE)$(if $(SOLUTION),.solution)
	@if [ -n "$(RUN_TUTORIAL)" ] && [ -z "$(SOLUTION)" ]; then \
	  sh tutorials/exercises/run_with.sh $(EXERCISE) $(RUN_TUTORIAL) $(EXERCISES_BUILD)/with/$(EXERCISE)/$(RUN_TUTORIAL); fi

exercises-check: $(foreach e,$(EXERCISE_NAMES),$(EXERCISES_BUILD)/$(e) $(EXERCISES_BUILD)/$(e).solution) \
		$(foreach w,$(WRONG_NAMES),$(EXERCISES_BUILD)/wrong/$(w))
	@sh tutorials/exercises/check_graders.sh $(EXERCISES_BUILD) $(EXERCISE_NAMES)

# --- Your code inside the real model -------------------------------------------------
# `make exercise N=04 RUN=06_pretrain`: once the grader passes, tutorial 06_pretrain is
# linked like the grader (your file, the library file with your functions' definitions
# renamed, then libgpt1.a) and run, so that it trains a GPT with your code wherever the
# library calls it (tutorials/exercises/run_with.sh). exercises-check does the same with
# a right answer nobody wrote, the exercise with the library's own definitions pasted
# in (tutorials/exercises/solve.sh), for the pairs of EXERCISE_RUN_CHECKS.
EXERCISE_RUN_TUTORIALS := $(basename $(notdir $(wildcard tutorials/[0-9][0-9]_*.c)))
RUN_TUTORIAL := $(firstword $(basename $(notdir $(wildcard tutorials/$(RUN).c tutorials/$(RUN)_*.c tutorials/0$(RUN)_*.c))))
EXERCISE_RUN_CHECKS := 04_attention/06_pretrain 05_l3_loss/07_finetune

define EXERCISE_RUN_RULES
$(EXERCISES_BUILD)/with/$(1)/$(2): $(BUILD)/obj/tutorials/$(2).o $(BUILD)/obj/tutorials/exercises/$(1).o \
		$(EXERCISES_BUILD)/obj/$(1).library.o $(LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $$^ -o $$@ $$(LDLIBS)
$(EXERCISES_BUILD)/solved/$(1)/$(2): $(BUILD)/obj/tutorials/$(2).o $(EXERCISES_BUILD)/obj/$(1).solved.o \
		$(EXERCISES_BUILD)/obj/$(1).library.o $(LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $$^ -o $$@ $$(LDLIBS)
endef
$(foreach e,$(EXERCISE_NAMES),$(foreach t,$(EXERCISE_RUN_TUTORIALS),$(eval $(call EXERCISE_RUN_RULES,$(e),$(t)))))

$(EXERCISES_BUILD)/src/%.solved.c: tutorials/exercises/%.c tutorials/exercises/solve.sh
	@mkdir -p $(dir $@)
	sh tutorials/exercises/solve.sh $* > $@
$(EXERCISES_BUILD)/obj/%.solved.o: $(EXERCISES_BUILD)/src/%.solved.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# Runs before the grader, so that a mistyped RUN says so at once.
exercise-run-usage:
	@if [ -n "$(RUN)" ] && [ -z "$(RUN_TUTORIAL)" ]; then \
	  echo "usage: make exercise N=NN RUN=TUTORIAL, one of: $(EXERCISE_RUN_TUTORIALS)"; exit 2; fi
exercise: exercise-run-usage $(if $(and $(EXERCISE),$(RUN_TUTORIAL)),$(EXERCISES_BUILD)/with/$(EXERCISE)/$(RUN_TUTORIAL))

exercises-run-check: $(foreach c,$(EXERCISE_RUN_CHECKS),$(EXERCISES_BUILD)/solved/$(c))
	@for c in $(EXERCISE_RUN_CHECKS); do \
	  out=$$(sh tutorials/exercises/run_with.sh $${c%/*} $${c#*/} $(EXERCISES_BUILD)/solved/$$c 2>&1); \
	  if [ $$? -ne 0 ]; then echo "$$out"; echo "exercises: $$c failed with the library's own code"; exit 1; fi; \
	  echo "ok   $$c: $$(echo "$$out" | tail -n 1)"; done
exercises-check: exercises-run-check

# --- The debugger -------------------------------------------------------------------
# On the -O0 build of make debug, where every variable is visible to gdb.
GDB_TUTORIALS := $(addprefix $(BUILD_ROOT)/debug/tutorials/,02_autograd 04_attention 05_decoder_block)
gdb-check:
	@$(MAKE) --no-print-directory MODE=debug $(GDB_TUTORIALS) $(BUILD_ROOT)/debug/gpt
	@sh tutorials/gdb/check.sh $(BUILD_ROOT)/debug/tutorials

# Keep the objects of these programs (make would delete them as intermediate files).
TEACHING_SRCS := $(wildcard tutorials/*.c tutorials/labs/*.c tutorials/exercises/*.c tutorials/exercises/graders/*.c \
                             tutorials/exercises/wrong/*.c)
.SECONDARY: $(patsubst %,$(EXERCISES_BUILD)/src/%.solved.c,$(EXERCISE_NAMES)) \
            $(patsubst %,$(EXERCISES_BUILD)/src/%.library.c,$(EXERCISE_NAMES))
.SECONDARY: $(patsubst %.c,$(BUILD)/obj/%.o,$(TEACHING_SRCS))
-include $(patsubst %.c,$(BUILD)/obj/%.d,$(TEACHING_SRCS))
