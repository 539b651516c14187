// Internal to the task-data readers: the state of one read, the table of formats and
// the label table. Callers use gpt/tasks/task_data.h.
//
//   task_data.c     the read loop, bad rows and skip_bad, the dataset's life cycle
//   task_formats.c  one entry per file format: header, fields, row → example
//   task_labels.c   class names ↔ indices
//   task_split.c    the train/dev split
//   records.c/csv.c bytes → records of fields (TSV and quote-aware CSV)
#ifndef GPT1_TASK_LOADER_H
#define GPT1_TASK_LOADER_H

#include <stdbool.h>
#include <stddef.h>

#include "gpt/tasks/records.h"
#include "gpt/tasks/task_data.h"

// Class names in index order. An open table takes every new label it is asked
// about (the simple TSV); a closed one reports unknown labels as errors.
typedef struct LabelTable {
    char **names;
    int count;
    size_t capacity;
    bool open;
} LabelTable;

bool label_table_set(LabelTable *table, const char *const *names, int count);  // closed
int label_table_find(const LabelTable *table, const char *name, size_t len);   // -1: absent
int label_table_add(LabelTable *table, const char *name, size_t len);          // -1: no memory
// Sorts the names (numerically when every name is an integer, else by bytes) and
// fills new_index[old] for the caller to renumber its examples; false: no memory.
bool label_table_sort(LabelTable *table, int **new_index);
void label_table_free(LabelTable *table);
// "ENTAILMENT, NEUTRAL or CONTRADICTION", cut short with "..." when it is long.
void label_table_describe(const LabelTable *table, char *out, size_t size);

typedef struct TaskLoader TaskLoader;
typedef bool (*RowParser)(TaskLoader *loader, const Record *record, TaskExample *example);

typedef struct FormatSpec {
    TaskFormat format;
    const char *name;                // "sick", as on the command line
    const char *title;               // "SICK", in messages
    char separator;                  // '\t' or ','
    bool quotes;                     // RFC-4180 quoting (Story Cloze)
    bool has_header;                 // the first line must be `columns`
    const char *const *columns;      // the field names, in file order
    int n_columns;                   // fields per row; the simple TSV decides per task
    bool extra_fields_ok;            // STS-B: fields after n_columns are ignored
    TaskKind tasks[2];               // the tasks it can hold; tasks[0] is the default
    const char *const *classes;      // the fixed class names, NULL when open or graded
    int n_classes;
    RowParser parse_row;             // fields → example, after the field count was checked
} FormatSpec;

struct TaskLoader {
    const char *name;                // the file name, in messages
    const FormatSpec *spec;
    TaskDataset *dataset;
    size_t examples_capacity;
    TaskKind task;
    bool graded;
    bool skip_bad;
    LabelTable labels;
    int n_options, options_line;     // choice: options per example, and the line that set it
    bool header_seen;                // a header (or the simple TSV's comment line) was read
    RecordReader reader;
    Record record;
    bool out_of_memory;
    char why[TASK_ERROR_SIZE - 128]; // what is wrong with the current row (file:line: comes before it)
};

const FormatSpec *format_spec(TaskFormat format);
const char *field_name(const TaskLoader *loader, int field, char *buf, size_t size);  // 0-based field
// Sets loader->why to "field 4 (entailment_label): <reason>" (1-based); returns false.
bool field_error(TaskLoader *loader, int field, const char *reason);
// Sets loader->why from a printf format (cut short if too long); returns false.
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
bool row_error(TaskLoader *loader, const char *format, ...);
// Checks the number of fields of a data row; false with loader->why set.
bool check_field_count(TaskLoader *loader, const Record *record);
// Checks the first line against the format's header; false with loader->why set.
bool check_task_header(TaskLoader *loader, const Record *record);

#endif
