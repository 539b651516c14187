# The teaching targets, included by the Makefile:
#   make tutorials         build and run every tutorial and lab; each checks what its page claims
#   make exercise N=04     grade your version of exercise 04 (SOLUTION=1: grade the library's own);
#                          RUN=06_pretrain: then run tutorial 06 with it in the library
#   make exercises-check   every grader fails its blank exercise and passes the library's code
#   make gdb-check         run tutorials/gdb/gpt1.gdb in gdb -batch on a tutorial, check the output
#   make equation-map      docs/equations.md agrees with the code's // Eq: tags (run by make check)
# docs/exercises.md, docs/labs.md and docs/debugging.md explain them.

.PHONY: tutorials exercise exercises-check exercise-run-usage exercises-run-check gdb-check equation-map

# --- The labs: numbered programs, sharing the switchable model of variant.c ------------
LAB_PROGRAM_SRCS := $(wildcard tutorials/labs/[0-9]*.c)
LAB_COMMON_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(filter-out $(LAB_PROGRAM_SRCS),$(wildcard tutorials/labs/*.c)))
LABS := $(patsubst tutorials/labs/%.c,$(BUILD)/labs/%,$(LAB_PROGRAM_SRCS))

$(BUILD)/labs/%: $(BUILD)/obj/tutorials/labs/%.o $(LAB_COMMON_OBJS) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

# Every build compiles the labs too, and make check runs the equation-map check.
all: $(LABS)
test-run: equation-map $(LABS)

tutorials: $(TUTORIALS) $(LABS)
	@sh tutorials/run_all.sh $(TUTORIALS) $(LABS)

equation-map:
	@sh tests/check_equation_map.sh
	@sh tests/check_equation_map.sh --self-test

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

EXERCISE := $(firstword $(basename $(notdir $(wildcard tutorials/exercises/$(N)_*.c tutorials/exercises/0$(N)_*.c))))
exercise: $(if $(EXERCISE),$(EXERCISES_BUILD)/$(EXERCISE)$(if $(SOLUTION),.solution))
	@if [ -z "$(EXERCISE)" ]; then \
	  echo "usage: make exercise N=NN [SOLUTION=1] [RUN=TUTORIAL], one of: $(EXERCISE_NAMES)"; exit 2; fi
	@$(EXERCISES_BUILD)/$(EXERCISE)$(if $(SOLUTION),.solution)
	@if [ -n "$(RUN_TUTORIAL)" ] && [ -z "$(SOLUTION)" ]; then \
	  sh tutorials/exercises/run_with.sh $(EXERCISE) $(RUN_TUTORIAL) $(EXERCISES_BUILD)/with/$(EXERCISE)/$(RUN_TUTORIAL); fi

exercises-check: $(foreach e,$(EXERCISE_NAMES),$(EXERCISES_BUILD)/$(e) $(EXERCISES_BUILD)/$(e).solution)
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
GDB_TUTORIAL := $(BUILD_ROOT)/debug/tutorials/04_attention
gdb-check:
	@$(MAKE) --no-print-directory MODE=debug $(GDB_TUTORIAL)
	@sh tutorials/gdb/check.sh $(GDB_TUTORIAL)

# Keep the objects of these programs (make would delete them as intermediate files).
TEACHING_SRCS := $(wildcard tutorials/*.c tutorials/labs/*.c tutorials/exercises/*.c tutorials/exercises/graders/*.c)
.SECONDARY: $(patsubst %,$(EXERCISES_BUILD)/src/%.solved.c,$(EXERCISE_NAMES)) \
            $(patsubst %,$(EXERCISES_BUILD)/src/%.library.c,$(EXERCISE_NAMES))
.SECONDARY: $(patsubst %.c,$(BUILD)/obj/%.o,$(TEACHING_SRCS))
-include $(patsubst %.c,$(BUILD)/obj/%.d,$(TEACHING_SRCS))
