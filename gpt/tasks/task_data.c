// Reading a task data file: choose the format and the task, check the header, turn
// every row into an example (or report it), then fix the class indices.
#include "gpt/tasks/task_data.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/tasks/task_loader.h"
#include "gpt/io/text_file.h"

// ---- The dataset's memory ---------------------------------------------------------

static void free_example(TaskExample *example) {
    for (int i = 0; i < TASK_MAX_TEXTS; i++) free(example->text[i]);
    *example = (TaskExample){0};
}

// Frees everything but keeps the error message (a failed read still has to say why).
static void free_contents(TaskDataset *dataset) {
    for (int i = 0; i < dataset->n_examples; i++) free_example(&dataset->examples[i]);
    free(dataset->examples);
    for (int i = 0; i < dataset->n_labels; i++) free(dataset->label_names[i]);
    free(dataset->label_names);
    free(dataset->label_counts);
    char error[TASK_ERROR_SIZE];
    memcpy(error, dataset->error, sizeof error);
    *dataset = (TaskDataset){0};
    memcpy(dataset->error, error, sizeof error);
}

void task_dataset_free(TaskDataset *dataset) {
    free_contents(dataset);
    dataset->error[0] = '\0';
}

// ---- Errors -----------------------------------------------------------------------

// Sets dataset->error from a printf format; returns false for `return fail(...)`.
static bool fail(TaskLoader *loader, const char *format, ...) {
    va_list args;
    va_start(args, format);
    vsnprintf(loader->dataset->error, sizeof loader->dataset->error, format, args);
    va_end(args);
    return false;
}

static bool fail_out_of_memory(TaskLoader *loader) {
    return fail(loader, "%s: out of memory after %d examples", loader->name, loader->dataset->n_examples);
}

// A bad data row stops the read, or with skip_bad is counted (the first one kept).
static bool bad_row(TaskLoader *loader, int line) {
    TaskDataset *dataset = loader->dataset;
    if (!loader->skip_bad) return fail(loader, "%s:%d: %s", loader->name, line, loader->why);
    if (dataset->n_skipped++ == 0)
        snprintf(dataset->first_skipped, sizeof dataset->first_skipped, "%s:%d: %s", loader->name, line, loader->why);
    return true;
}

// ---- Choosing the format and the task ---------------------------------------------

static bool choose_task(TaskLoader *loader, const TaskReadOptions *options, bool detected) {
    const FormatSpec *spec = loader->spec;
    if (spec->format == TASK_FORMAT_TSV) {
        loader->task = options->task;
        if (loader->task != TASK_NONE) return true;
        return fail(loader, "%s: %sthe simple TSV format needs a task: classify, entail, similar or choice",
                    loader->name, detected ? "not a known data set (SST-2, SICK, MRPC, STS-B, Story Cloze), and " : "");
    }
    loader->task = options->task != TASK_NONE ? options->task : spec->tasks[0];
    if (loader->task == spec->tasks[0] || loader->task == spec->tasks[1]) return true;
    return fail(loader, "%s: %s files hold the %s%s%s task, not %s", loader->name, spec->title,
                task_name(spec->tasks[0]), spec->tasks[1] ? " or " : "",
                spec->tasks[1] ? task_name(spec->tasks[1]) : "", task_name(options->task));
}

static bool choose_labels(TaskLoader *loader, const TaskReadOptions *options) {
    const FormatSpec *spec = loader->spec;
    bool sick_relatedness = spec->format == TASK_FORMAT_SICK && loader->task == TASK_SIMILAR;
    if (spec->format == TASK_FORMAT_TSV) loader->graded = options->graded;
    else loader->graded = spec->format == TASK_FORMAT_STSB || sick_relatedness;
    if (loader->graded && loader->task != TASK_SIMILAR)
        return fail(loader, "%s: graded (real-valued) labels are for the similar task only, not %s", loader->name,
                    task_name(loader->task));
    if (loader->graded) return true;
    bool ok = true;
    if (spec->classes != NULL) ok = label_table_set(&loader->labels, spec->classes, spec->n_classes);
    else if (loader->task == TASK_CHOICE) ok = true;  // the simple TSV: set once the options are counted
    else if (options->labels != NULL && options->n_labels > 0)
        ok = label_table_set(&loader->labels, options->labels, options->n_labels);
    else loader->labels.open = true;
    return ok || fail_out_of_memory(loader);
}

static bool set_up(TaskLoader *loader, const char *bytes, size_t len, const TaskReadOptions *options) {
    TaskFormat format = options->format;
    if (format == TASK_FORMAT_AUTO) format = task_format_detect(loader->name, bytes, len);
    loader->spec = format_spec(format);
    if (loader->spec == NULL || format == TASK_FORMAT_AUTO)
        return fail(loader, "%s: unknown format number %d", loader->name, (int)format);
    loader->dataset->format = format;
    loader->skip_bad = options->skip_bad;
    record_reader_init(&loader->reader, bytes, len, loader->spec->separator, loader->spec->quotes);
    return choose_task(loader, options, options->format == TASK_FORMAT_AUTO) && choose_labels(loader, options);
}

// ---- Rows -------------------------------------------------------------------------

// The header of a real format must be exactly right; the simple TSV may start with
// one comment line beginning with '#', e.g. "# text<TAB>label".
static bool read_header(TaskLoader *loader) {
    const RecordReader *reader = &loader->reader;
    bool starts_with_hash = reader->pos < reader->len && reader->bytes[reader->pos] == '#';
    bool tsv_comment = loader->spec->format == TASK_FORMAT_TSV && starts_with_hash;
    if (!loader->spec->has_header && !tsv_comment) return true;
    ReadResult result = record_read(&loader->reader, &loader->record, loader->why, sizeof loader->why);
    if (result == READ_OUT_OF_MEMORY) return fail_out_of_memory(loader);
    if (result == READ_BAD_RECORD)
        return fail(loader, "%s:1: header field %d: %s", loader->name, loader->record.n_fields + 1, loader->why);
    if (result == READ_END) return true;
    loader->header_seen = true;
    if (tsv_comment || check_task_header(loader, &loader->record)) return true;
    return fail(loader, "%s:1: %s", loader->name, loader->why);
}

// Choice in the simple TSV: the first row with a valid count fixes the options, and
// the labels are the option numbers "1" .. "N".
static bool fix_options(TaskLoader *loader, const Record *record) {
    bool tsv_choice = loader->spec->format == TASK_FORMAT_TSV && loader->task == TASK_CHOICE;
    if (!tsv_choice || loader->n_options > 0) return true;
    loader->n_options = record->n_fields - 2;
    loader->options_line = record->line;
    for (int k = 1; k <= loader->n_options; k++) {
        char number[16];
        snprintf(number, sizeof number, "%d", k);
        if (label_table_add(&loader->labels, number, strlen(number)) < 0) return false;
    }
    return true;
}

static bool add_example(TaskLoader *loader, const TaskExample *example) {
    TaskDataset *dataset = loader->dataset;
    TaskExample *grown =
        grow_buffer(dataset->examples, &loader->examples_capacity, (size_t)dataset->n_examples + 1, sizeof *grown);
    if (grown == NULL) return false;
    dataset->examples = grown;
    dataset->examples[dataset->n_examples++] = *example;
    return true;
}

// One data row → one example. False when the row is bad (loader->why says why) or
// memory ran out (loader->out_of_memory).
static bool parse_row(TaskLoader *loader, const Record *record) {
    if (record->blank) return row_error(loader, "empty line (only the end of the file may have empty lines)");
    if (!check_field_count(loader, record)) return false;
    if (!fix_options(loader, record)) {
        loader->out_of_memory = true;
        return false;
    }
    TaskExample example = {.label = -1, .line = record->line};
    bool ok = loader->spec->parse_row(loader, record, &example);
    if (ok && !add_example(loader, &example)) {
        loader->out_of_memory = true;
        ok = false;
    }
    if (!ok) free_example(&example);
    return ok;
}

static bool read_rows(TaskLoader *loader) {
    for (;;) {
        ReadResult result = record_read(&loader->reader, &loader->record, loader->why, sizeof loader->why);
        if (result == READ_END) return true;
        if (result == READ_OUT_OF_MEMORY) return fail_out_of_memory(loader);
        if (result == READ_BAD_RECORD) field_error(loader, loader->record.n_fields, loader->why);
        bool ok = result == READ_RECORD && parse_row(loader, &loader->record);
        if (loader->out_of_memory) return fail_out_of_memory(loader);
        if (!ok && !bad_row(loader, loader->record.line)) return false;
    }
}

// ---- Finishing --------------------------------------------------------------------

static bool fail_no_examples(TaskLoader *loader) {
    const TaskDataset *dataset = loader->dataset;
    if (dataset->n_skipped > 0)
        return fail(loader, "%s: no examples: all %d rows are bad; the first: %s", loader->name, dataset->n_skipped,
                    dataset->first_skipped);
    return fail(loader, "%s: no examples: the file %s", loader->name,
                loader->header_seen ? "has only its header line" : "is empty");
}

// The simple TSV's classes are numbered in sorted order, not in order of appearance,
// so that a train file and a dev file with the same classes get the same numbers.
static bool number_classes(TaskLoader *loader) {
    TaskDataset *dataset = loader->dataset;
    if (loader->labels.open) {
        int *new_index;
        if (!label_table_sort(&loader->labels, &new_index)) return false;
        for (int i = 0; i < dataset->n_examples; i++)
            dataset->examples[i].label = new_index[dataset->examples[i].label];
        free(new_index);
    }
    dataset->label_names = loader->labels.names;  // the dataset owns them from now on
    dataset->n_labels = loader->labels.count;
    loader->labels = (LabelTable){0};
    dataset->label_counts = calloc((size_t)(dataset->n_labels > 0 ? dataset->n_labels : 1), sizeof(int));
    if (dataset->label_counts == NULL) return false;
    for (int i = 0; i < dataset->n_examples; i++)
        if (dataset->examples[i].label >= 0) dataset->label_counts[dataset->examples[i].label]++;
    return true;
}

static bool finish(TaskLoader *loader) {
    TaskDataset *dataset = loader->dataset;
    if (dataset->n_examples == 0) return fail_no_examples(loader);
    dataset->task = loader->task;
    dataset->graded = loader->graded;
    dataset->n_options = loader->task == TASK_CHOICE ? dataset->examples[0].n_texts - 1 : 0;
    return number_classes(loader) || fail_out_of_memory(loader);
}

bool task_data_parse(TaskDataset *dataset, const char *name, const char *bytes, size_t len,
                     const TaskReadOptions *options) {
    static const TaskReadOptions defaults = {0};
    if (bytes == NULL) {  // memchr and friends want a valid pointer even for 0 bytes
        bytes = "";
        len = 0;
    }
    *dataset = (TaskDataset){0};
    TaskLoader loader = {.name = name, .dataset = dataset};
    bool ok = set_up(&loader, bytes, len, options ? options : &defaults) && read_header(&loader) &&
              read_rows(&loader) && finish(&loader);
    record_free(&loader.record);
    label_table_free(&loader.labels);
    if (!ok) free_contents(dataset);
    return ok;
}

// ---- Files ------------------------------------------------------------------------

bool task_data_load(TaskDataset *dataset, const char *path, const TaskReadOptions *options) {
    size_t len;
    *dataset = (TaskDataset){0};
    char *bytes = read_text_file(path, &len, dataset->error, sizeof dataset->error);  // the largest set here is 5 MB
    if (bytes == NULL) return false;
    bool ok = task_data_parse(dataset, path, bytes, len, options);
    free(bytes);
    return ok;
}
