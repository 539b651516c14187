#include "gpt/tasks/task_kind.h"

#include <string.h>

static const char *const TASK_NAMES[] = {"none", "classify", "entail", "similar", "choice"};

const char *task_name(TaskKind task) { return task >= TASK_NONE && task <= TASK_CHOICE ? TASK_NAMES[task] : "?"; }

bool task_from_name(const char *name, TaskKind *task) {
    for (int i = TASK_NONE; i <= TASK_CHOICE; i++)
        if (strcmp(name, TASK_NAMES[i]) == 0) {
            *task = (TaskKind)i;
            return true;
        }
    return false;
}
