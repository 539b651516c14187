// One entry per file format: its header, its fields and how a row becomes an example.
// docs/task_formats.md describes each format and its mapping to the task fields.
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/tasks/task_loader.h"

// ---- Reading one field ------------------------------------------------------------

// Every field loses its leading and trailing spaces and tabs (SST-2 has a space
// before each tab; SICK and STS-B have a few sentences with an edge space).
static void trim(const char **text, size_t *len) {
    while (*len > 0 && (**text == ' ' || **text == '\t')) {
        (*text)++;
        (*len)--;
    }
    while (*len > 0 && ((*text)[*len - 1] == ' ' || (*text)[*len - 1] == '\t')) (*len)--;
}

// A bad value for a message: at most 40 bytes, in quotes, a control byte (a NUL, which
// would end the string early, or a line break, which would end the line) as \xNN.
static const char *quoted(const char *text, size_t len, char *buf, size_t size) {
    size_t at = 0, shown = len > 40 ? 37 : len;
    if (size < 16) return "";
    buf[at++] = '"';
    for (size_t i = 0; i < shown && at + 8 < size; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 || c == 0x7F) at += (size_t)snprintf(buf + at, size - at, "\\x%02X", c);
        else buf[at++] = (char)c;
    }
    snprintf(buf + at, size - at, "%s\"", shown < len ? "..." : "");
    return buf;
}

bool row_error(TaskLoader *loader, const char *format, ...) {
    va_list args;
    va_start(args, format);
    vsnprintf(loader->why, sizeof loader->why, format, args);
    va_end(args);
    return false;
}

bool field_error(TaskLoader *loader, int field, const char *reason) {
    char name[32], copy[sizeof loader->why];
    snprintf(copy, sizeof copy, "%s", reason);  // reason may be loader->why itself
    return row_error(loader, "field %d (%s): %s", field + 1, field_name(loader, field, name, sizeof name), copy);
}

// Room for a string of len bytes and its NUL.
static char *allocate_text(TaskLoader *loader, size_t len) {
    char *text = malloc(len + 1);
    if (text == NULL) loader->out_of_memory = true;
    return text;
}

static char *copy_bytes(TaskLoader *loader, const char *bytes, size_t len) {
    char *copy = allocate_text(loader, len);
    if (copy == NULL) return NULL;
    memcpy(copy, bytes, len);
    copy[len] = '\0';
    return copy;
}

static bool check_text(TaskLoader *loader, int field, const char *text, size_t len) {
    if (len == 0) return field_error(loader, field, "empty, expected some text");
    if (memchr(text, '\0', len) != NULL)
        return field_error(loader, field, "contains a NUL byte (is this a text file?)");
    return true;
}

static bool take_text(TaskLoader *loader, const Record *record, int field, char **out) {
    const char *text = record->fields[field].text;
    size_t len = record->fields[field].len;
    trim(&text, &len);
    if (!check_text(loader, field, text, len)) return false;
    *out = copy_bytes(loader, text, len);
    return *out != NULL;
}

// Fields first .. first+count-1, each trimmed and non-empty, joined by single spaces.
static bool take_joined_text(TaskLoader *loader, const Record *record, int first, int count, char **out) {
    size_t total = 0;
    for (int f = first; f < first + count; f++) {
        const char *text = record->fields[f].text;
        size_t len = record->fields[f].len;
        trim(&text, &len);
        if (!check_text(loader, f, text, len)) return false;
        total += len + 1;
    }
    char *joined = *out = allocate_text(loader, total);  // total counts a space or NUL after each
    if (joined == NULL) return false;
    for (int f = first; f < first + count; f++) {
        const char *text = record->fields[f].text;
        size_t len = record->fields[f].len;
        trim(&text, &len);
        memcpy(joined, text, len);
        joined += len;
        *joined++ = f + 1 < first + count ? ' ' : '\0';
    }
    return true;
}

// A class name: looked up in the label table (an open table learns new names).
static bool take_class(TaskLoader *loader, const Record *record, int field, int *label) {
    const char *text = record->fields[field].text;
    size_t len = record->fields[field].len;
    trim(&text, &len);
    if (len == 0) return field_error(loader, field, "empty, expected a label");
    *label = label_table_find(&loader->labels, text, len);
    if (*label >= 0) return true;
    if (loader->labels.open) {
        if (!check_text(loader, field, text, len)) return false;
        *label = label_table_add(&loader->labels, text, len);
        loader->out_of_memory = *label < 0;
        return *label >= 0;
    }
    char expected[256], got[160], reason[480];
    label_table_describe(&loader->labels, expected, sizeof expected);
    snprintf(reason, sizeof reason, "expected %s, got %s", expected, quoted(text, len, got, sizeof got));
    return field_error(loader, field, reason);
}

// A finite real number in [low, high], the whole field (strtod alone accepts "3abc").
// strtod reads '.' as the decimal point as long as the program keeps the "C" locale.
static bool take_score(TaskLoader *loader, const Record *record, int field, double low, double high, float *score) {
    const char *text = record->fields[field].text;
    size_t len = record->fields[field].len;
    trim(&text, &len);
    char number[64], got[160], reason[256];
    double value = NAN;
    if (len > 0 && len < sizeof number && !isspace((unsigned char)text[0])) {
        memcpy(number, text, len);
        number[len] = '\0';
        char *end;
        value = strtod(number, &end);
        if (*end != '\0') value = NAN;
    }
    if (isfinite(value) && value >= low && value <= high) {
        *score = (float)value;
        return true;
    }
    if (isinf(low)) snprintf(reason, sizeof reason, "expected a number, got %s", quoted(text, len, got, sizeof got));
    else snprintf(reason, sizeof reason, "expected a number from %g to %g, got %s", low, high,
                  quoted(text, len, got, sizeof got));
    return field_error(loader, field, reason);
}

// ---- The formats ------------------------------------------------------------------

static bool parse_sst2_row(TaskLoader *loader, const Record *record, TaskExample *example) {
    example->n_texts = 1;
    return take_text(loader, record, 0, &example->text[0]) && take_class(loader, record, 1, &example->label);
}

// SICK: premise = sentence_A, hypothesis = sentence_B; label = entailment_label, or
// as a graded similarity task, score = relatedness_score (1 to 5).
static bool parse_sick_row(TaskLoader *loader, const Record *record, TaskExample *example) {
    example->n_texts = 2;
    if (!take_text(loader, record, 1, &example->text[0]) || !take_text(loader, record, 2, &example->text[1]))
        return false;
    if (loader->graded) return take_score(loader, record, 4, 1.0, 5.0, &example->score);
    return take_class(loader, record, 3, &example->label);
}

static bool parse_mrpc_row(TaskLoader *loader, const Record *record, TaskExample *example) {
    example->n_texts = 2;
    return take_class(loader, record, 0, &example->label) && take_text(loader, record, 3, &example->text[0]) &&
           take_text(loader, record, 4, &example->text[1]);
}

static bool parse_stsb_row(TaskLoader *loader, const Record *record, TaskExample *example) {
    example->n_texts = 2;
    return take_score(loader, record, 4, 0.0, 5.0, &example->score) &&
           take_text(loader, record, 5, &example->text[0]) && take_text(loader, record, 6, &example->text[1]);
}

// Story Cloze: context = the four story sentences joined by single spaces; the two
// candidate endings are the options; AnswerRightEnding 1 or 2 → option 0 or 1.
static bool parse_storycloze_row(TaskLoader *loader, const Record *record, TaskExample *example) {
    example->n_texts = 3;
    return take_joined_text(loader, record, 1, 4, &example->text[0]) &&
           take_text(loader, record, 5, &example->text[1]) && take_text(loader, record, 6, &example->text[2]) &&
           take_class(loader, record, 7, &example->label);
}

// The simple TSV: the texts in order, then the label (a class name, a real number
// when graded, or the 1-based number of the right option for choice).
static bool parse_tsv_row(TaskLoader *loader, const Record *record, TaskExample *example) {
    int label_field = record->n_fields - 1;
    example->n_texts = label_field;
    for (int f = 0; f < label_field; f++)
        if (!take_text(loader, record, f, &example->text[f])) return false;
    if (loader->graded) return take_score(loader, record, label_field, -INFINITY, INFINITY, &example->score);
    return take_class(loader, record, label_field, &example->label);
}

static const char *const SST2_COLUMNS[] = {"sentence", "label"};
static const char *const SICK_COLUMNS[] = {
    "pair_ID", "sentence_A", "sentence_B", "entailment_label", "relatedness_score", "entailment_AB",
    "entailment_BA", "sentence_A_original", "sentence_B_original", "sentence_A_dataset", "sentence_B_dataset",
    "SemEval_set"};
static const char *const MRPC_COLUMNS[] = {"Quality", "#1 ID", "#2 ID", "#1 String", "#2 String"};
static const char *const STSB_COLUMNS[] = {"genre", "source", "year", "pair_id", "score", "sentence1", "sentence2"};
static const char *const STORYCLOZE_COLUMNS[] = {
    "InputStoryid", "InputSentence1", "InputSentence2", "InputSentence3", "InputSentence4",
    "RandomFifthSentenceQuiz1", "RandomFifthSentenceQuiz2", "AnswerRightEnding"};
static const char *const BINARY_CLASSES[] = {"0", "1"};
static const char *const SICK_CLASSES[] = {"ENTAILMENT", "NEUTRAL", "CONTRADICTION"};
static const char *const STORYCLOZE_CLASSES[] = {"1", "2"};

#define COUNT(array) (int)(sizeof(array) / sizeof((array)[0]))

static const FormatSpec FORMATS[TASK_FORMAT_COUNT] = {
    [TASK_FORMAT_AUTO] = {.format = TASK_FORMAT_AUTO, .name = "auto", .title = "auto"},
    [TASK_FORMAT_TSV] = {.format = TASK_FORMAT_TSV, .name = "tsv", .title = "simple TSV", .separator = '\t',
                         .tasks = {TASK_NONE}, .parse_row = parse_tsv_row},
    [TASK_FORMAT_SST2] = {.format = TASK_FORMAT_SST2, .name = "sst2", .title = "SST-2", .separator = '\t',
                          .has_header = true, .columns = SST2_COLUMNS, .n_columns = COUNT(SST2_COLUMNS),
                          .tasks = {TASK_CLASSIFY}, .classes = BINARY_CLASSES, .n_classes = 2,
                          .parse_row = parse_sst2_row},
    [TASK_FORMAT_SICK] = {.format = TASK_FORMAT_SICK, .name = "sick", .title = "SICK", .separator = '\t',
                          .has_header = true, .columns = SICK_COLUMNS, .n_columns = COUNT(SICK_COLUMNS),
                          .tasks = {TASK_ENTAIL, TASK_SIMILAR}, .classes = SICK_CLASSES, .n_classes = 3,
                          .parse_row = parse_sick_row},
    [TASK_FORMAT_MRPC] = {.format = TASK_FORMAT_MRPC, .name = "mrpc", .title = "MRPC", .separator = '\t',
                          .has_header = true, .columns = MRPC_COLUMNS, .n_columns = COUNT(MRPC_COLUMNS),
                          .tasks = {TASK_SIMILAR}, .classes = BINARY_CLASSES, .n_classes = 2,
                          .parse_row = parse_mrpc_row},
    [TASK_FORMAT_STSB] = {.format = TASK_FORMAT_STSB, .name = "stsb", .title = "STS-B", .separator = '\t',
                          .columns = STSB_COLUMNS, .n_columns = COUNT(STSB_COLUMNS), .extra_fields_ok = true,
                          .tasks = {TASK_SIMILAR}, .parse_row = parse_stsb_row},
    [TASK_FORMAT_STORYCLOZE] = {.format = TASK_FORMAT_STORYCLOZE, .name = "storycloze", .title = "Story Cloze",
                                .separator = ',', .quotes = true, .has_header = true, .columns = STORYCLOZE_COLUMNS,
                                .n_columns = COUNT(STORYCLOZE_COLUMNS), .tasks = {TASK_CHOICE},
                                .classes = STORYCLOZE_CLASSES, .n_classes = 2, .parse_row = parse_storycloze_row},
};

const FormatSpec *format_spec(TaskFormat format) {
    return format >= 0 && format < TASK_FORMAT_COUNT ? &FORMATS[format] : NULL;
}

const char *task_format_name(TaskFormat format) {
    const FormatSpec *spec = format_spec(format);
    return spec ? spec->name : "unknown";
}

bool task_format_from_name(const char *name, TaskFormat *format) {
    for (int f = 0; f < TASK_FORMAT_COUNT; f++)
        if (strcmp(name, FORMATS[f].name) == 0) {
            *format = (TaskFormat)f;
            return true;
        }
    return false;
}

// ---- Field names, field counts and headers ----------------------------------------

static const char *const TSV_FIELDS[][3] = {
    [TASK_CLASSIFY] = {"text", "label"},
    [TASK_ENTAIL] = {"premise", "hypothesis", "label"},
    [TASK_SIMILAR] = {"a", "b", "label"},
};

static int tsv_field_count(TaskKind task) { return task == TASK_CLASSIFY ? 2 : 3; }

const char *field_name(const TaskLoader *loader, int field, char *buf, size_t size) {
    const FormatSpec *spec = loader->spec;
    if (spec->format != TASK_FORMAT_TSV) return field < spec->n_columns ? spec->columns[field] : "extra field";
    if (loader->task != TASK_CHOICE)
        return field < tsv_field_count(loader->task) ? TSV_FIELDS[loader->task][field] : "extra field";
    if (field == 0) return "context";
    if (field == loader->record.n_fields - 1) return "label";
    snprintf(buf, size, "option %d", field);
    return buf;
}

// Choice rows of the simple TSV: the first row sets the number of options.
static bool check_option_count(TaskLoader *loader, const Record *record) {
    int n_options = record->n_fields - 2;
    if (n_options < 2 || n_options > TASK_MAX_OPTIONS)
        return row_error(loader, "expected context<TAB>option 1<TAB>...<TAB>option N<TAB>label with 2 to %d options, "
                         "got %d field%s", TASK_MAX_OPTIONS, record->n_fields, record->n_fields == 1 ? "" : "s");
    if (loader->n_options == 0) return true;  // the first good row sets it (task_data.c)
    if (n_options == loader->n_options) return true;
    return row_error(loader, "wrong number of options: %d, but line %d has %d; every example needs the same number",
                     n_options, loader->options_line, loader->n_options);
}

bool check_field_count(TaskLoader *loader, const Record *record) {
    const FormatSpec *spec = loader->spec;
    if (spec->format == TASK_FORMAT_TSV && loader->task == TASK_CHOICE) return check_option_count(loader, record);
    int expected = spec->format == TASK_FORMAT_TSV ? tsv_field_count(loader->task) : spec->n_columns;
    bool ok = record->n_fields == expected || (spec->extra_fields_ok && record->n_fields > expected);
    if (ok) return true;
    char names[200], buf[32];
    size_t used = 0;
    for (int f = 0; f < expected && used < sizeof names; f++) {
        if (expected > 5 && f > 0 && f < expected - 1) continue;  // long lists: first ... last
        const char *joiner = f == 0 ? "" : expected > 5 ? " ... " : ", ";
        int n = snprintf(names + used, sizeof names - used, "%s%s", joiner, field_name(loader, f, buf, sizeof buf));
        used += n > 0 ? (size_t)n : 0;
    }
    return row_error(loader, "expected %s%d %s-separated fields (%s), got %d", spec->extra_fields_ok ? "at least " : "",
                     expected, spec->separator == ',' ? "comma" : "tab", names, record->n_fields);
}

bool check_task_header(TaskLoader *loader, const Record *record) {
    const FormatSpec *spec = loader->spec;
    char got[160];
    for (int f = 0; f < spec->n_columns; f++) {
        const char *text = f < record->n_fields ? record->fields[f].text : "";
        size_t len = f < record->n_fields ? record->fields[f].len : 0;
        trim(&text, &len);
        if (f < record->n_fields && strlen(spec->columns[f]) == len && memcmp(text, spec->columns[f], len) == 0)
            continue;
        return row_error(loader, "not the %s header: field %d should be \"%s\", got %s", spec->title, f + 1,
                         spec->columns[f], f < record->n_fields ? quoted(text, len, got, sizeof got) : "nothing");
    }
    if (record->n_fields == spec->n_columns || spec->extra_fields_ok) return true;
    return row_error(loader, "not the %s header: it has %d fields, expected %d", spec->title, record->n_fields,
                     spec->n_columns);
}

// ---- Detection --------------------------------------------------------------------

static bool starts_with(const char *line, size_t len, const char *prefix) {
    size_t n = strlen(prefix);
    return len >= n && memcmp(line, prefix, n) == 0;
}

// STS-B has no header: only its file names (sts-train.csv, sts-dev.csv, sts-test.csv) tell it.
static bool is_stsb_file_name(const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    return strncmp(base, "sts-", 4) == 0 && len > 8 && strcmp(base + len - 4, ".csv") == 0;
}

TaskFormat task_format_detect(const char *name, const char *bytes, size_t len) {
    if (bytes == NULL) return TASK_FORMAT_TSV;
    if (len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) {  // MRPC's byte-order mark
        bytes += 3;
        len -= 3;
    }
    const char *newline = memchr(bytes, '\n', len);
    size_t line_len = newline ? (size_t)(newline - bytes) : len;
    if (line_len > 0 && bytes[line_len - 1] == '\r') line_len--;
    if (line_len == strlen("sentence\tlabel") && starts_with(bytes, line_len, "sentence\tlabel"))
        return TASK_FORMAT_SST2;
    if (starts_with(bytes, line_len, "pair_ID\tsentence_A\tsentence_B\tentailment_label")) return TASK_FORMAT_SICK;
    if (starts_with(bytes, line_len, "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String")) return TASK_FORMAT_MRPC;
    if (starts_with(bytes, line_len, "InputStoryid,InputSentence1,")) return TASK_FORMAT_STORYCLOZE;
    if (name != NULL && is_stsb_file_name(name)) return TASK_FORMAT_STSB;
    return TASK_FORMAT_TSV;
}
