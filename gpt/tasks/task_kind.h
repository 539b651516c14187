// The four kinds of supervised task of the paper's section 3.3 (Figure 1, right), and
// their names on the command line and in files.
#ifndef GPT1_TASK_KIND_H
#define GPT1_TASK_KIND_H

#include <stdbool.h>

// TASK_NONE: no task (a language model only; or, when reading data, "take the task the
// file's format holds").
typedef enum { TASK_NONE = 0, TASK_CLASSIFY, TASK_ENTAIL, TASK_SIMILAR, TASK_CHOICE } TaskKind;

const char *task_name(TaskKind task);  // "none", "classify", "entail", "similar", "choice"
bool task_from_name(const char *name, TaskKind *task);

#endif
