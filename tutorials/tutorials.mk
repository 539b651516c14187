# The teaching targets, included by the Makefile:
#   make tutorials         build and run every tutorial and lab; each checks what its page claims
#   make exercise N=04     grade your version of exercise 04 (SOLUTION=1: grade the library's own)
#   make exercises-check   every grader fails its blank exercise and every known wrong solution
#                          (tutorials/exercises/wrong/), and passes the library's code
#   make gdb-check         run tutorials/gdb/gpt1.gdb in gdb -batch on a tutorial, check the output
#   make equation-map      docs/equations.md agrees with the code's // Eq: tags (run by make check)
# docs/exercises.md, docs/labs.md and docs/debugging.md explain them.

.PHONY: tutorials exercise exercises-check gdb-check equation-map

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
# functions with a copy of that library file compiled with those functions renamed
# (-Dname=library_name), so the student's definitions are the only ones, and the
# rest of the library (libgpt1.a) comes after: the linker takes nothing from the
# archive that the objects before it already define.
EXERCISE_NAMES := $(basename $(notdir $(wildcard tutorials/exercises/[0-9][0-9]_*.c)))
EXERCISES_BUILD := $(BUILD)/exercises
GRADE_OBJ := $(BUILD)/obj/tutorials/exercises/graders/grade.o
replaced = $(shell sed -n 's|^// Replaces: ||p' tutorials/exercises/$(1).c)

define EXERCISE_RULES
$(EXERCISES_BUILD)/$(1): $(BUILD)/obj/tutorials/exercises/graders/$(1).o $(GRADE_OBJ) \
		$(BUILD)/obj/tutorials/exercises/$(1).o $(EXERCISES_BUILD)/obj/$(1).library.o $(LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $$^ -o $$@ $$(LDLIBS)
$(EXERCISES_BUILD)/$(1).solution: $(BUILD)/obj/tutorials/exercises/graders/$(1).o $(GRADE_OBJ) $(LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $$^ -o $$@ $$(LDLIBS)
$(EXERCISES_BUILD)/obj/$(1).library.o: $(firstword $(call replaced,$(1))) tutorials/exercises/$(1).c
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $(foreach f,$(wordlist 2,99,$(call replaced,$(1))),-D$(f)=library_$(f)) -c $$< -o $$@
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
	  echo "usage: make exercise N=NN [SOLUTION=1], one of: $(EXERCISE_NAMES)"; exit 2; fi
	@$(EXERCISES_BUILD)/$(EXERCISE)$(if $(SOLUTION),.solution)

exercises-check: $(foreach e,$(EXERCISE_NAMES),$(EXERCISES_BUILD)/$(e) $(EXERCISES_BUILD)/$(e).solution) \
		$(foreach w,$(WRONG_NAMES),$(EXERCISES_BUILD)/wrong/$(w))
	@sh tutorials/exercises/check_graders.sh $(EXERCISES_BUILD) $(EXERCISE_NAMES)

# --- The debugger -------------------------------------------------------------------
# On the -O0 build of make debug, where every variable is visible to gdb.
GDB_TUTORIAL := $(BUILD_ROOT)/debug/tutorials/04_attention
gdb-check:
	@$(MAKE) --no-print-directory MODE=debug $(GDB_TUTORIAL)
	@sh tutorials/gdb/check.sh $(GDB_TUTORIAL)

# Keep the objects of these programs (make would delete them as intermediate files).
TEACHING_SRCS := $(wildcard tutorials/*.c tutorials/labs/*.c tutorials/exercises/*.c tutorials/exercises/graders/*.c \
                             tutorials/exercises/wrong/*.c)
.SECONDARY: $(patsubst %.c,$(BUILD)/obj/%.o,$(TEACHING_SRCS))
-include $(patsubst %.c,$(BUILD)/obj/%.d,$(TEACHING_SRCS))
