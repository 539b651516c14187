// Reading the CSV training logs for gpt/pictures/plot.h. The drawing is in plot.c.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/pictures/plot.h"
#include "gpt/tasks/records.h"
#include "gpt/io/text_file.h"

// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies, and
// on a projector.
#define BLUE "#0072b2"
#define VERMILION "#d55e00"
#define GREEN "#009e73"
#define PURPLE "#cc79a7"

typedef struct SeriesSpec {
    const char *column, *label, *short_name, *colour;
    int panel;
} SeriesSpec;

// What each program writes (gpt/pretrain.c and gpt/finetune.c) and how to draw it.
typedef struct LogLayout {
    const char *kind;
    const char *written_by;  // for the message of an unknown header
    const char *header;
    const char *x_title;
    PlotPanel panels[PLOT_MAX_PANELS];
    SeriesSpec series[PLOT_MAX_SERIES];
    int n_series;
} LogLayout;

static const LogLayout LAYOUTS[] = {
    {"Pre-training", "gpt pretrain --log",
     "step,train_loss,val_loss,lr,tokens_per_s", "step",
     {{"loss (nats per token)", false, false}, {"learning rate", true, false}},
     {{"train_loss", "train", "train", BLUE, 0},
      {"val_loss", "validation", "validation", VERMILION, 0},
      {"lr", "learning rate", "lr", GREEN, 1}},
     3},
    {"Fine-tuning", "gpt finetune --log",
     "step,epoch,l2,l1,l3,dev_metric", "step",
     {{"loss", false, false}, {"dev metric", true, true}},
     {{"l3", "L3 = L2 + \xce\xbb\xc2\xb7L1", "L3", BLUE, 0},  // λ·
      {"l2", "L2 (task)", "L2", VERMILION, 0},
      {"l1", "L1 (language model)", "L1", GREEN, 0},
      {"dev_metric", "dev accuracy (or Pearson r)", "dev", PURPLE, 1}},
     4},
    {"Zero-shot", "tests/experiments/figure2.sh",
     "step,val_loss,sentiment,choice,acceptability", "pre-training step",
     {{"zero-shot accuracy", false, true}, {"validation loss", false, false}},
     {{"sentiment", "sentiment (SST-2)", "sentiment", BLUE, 0},
      {"choice", "multiple choice (Story Cloze)", "choice", VERMILION, 0},
      {"acceptability", "acceptability (shuffled words)", "acceptability", GREEN, 0},
      {"val_loss", "validation loss", "val", PURPLE, 1}},
     4},
    {"Transfer", "tests/experiments/figure2.sh",
     "layers,dev_accuracy,train_l2", "blocks transferred from the pre-trained model",
     {{"dev accuracy", false, true}, {"last training loss L2", false, false}},
     {{"dev_accuracy", "dev accuracy", "dev", BLUE, 0},
      {"train_l2", "L2 at the last step", "L2", VERMILION, 1}},
     2},
    {"Pre-training steps", "tests/experiments/table5.sh",
     "pretraining_steps,val_loss,dev_accuracy,test_accuracy", "pre-training steps before fine-tuning",
     {{"accuracy after fine-tuning", false, true}, {"validation loss of the LM", false, false}},
     {{"dev_accuracy", "dev accuracy (chose the rate)", "dev", BLUE, 0},
      {"test_accuracy", "test accuracy (scored once)", "test", VERMILION, 0},
      {"val_loss", "validation loss", "val", PURPLE, 1}},
     3},
};
enum { N_LAYOUTS = sizeof LAYOUTS / sizeof LAYOUTS[0] };

// The layout whose header the record spells out, or NULL.
static const LogLayout *find_layout(const Record *header, char *joined, size_t joined_len) {
    size_t used = 0;
    joined[0] = '\0';
    for (int i = 0; i < header->n_fields; i++) {
        int n = snprintf(joined + used, joined_len - used, "%s%s", i > 0 ? "," : "", header->fields[i].text);
        if (n < 0 || (size_t)n >= joined_len - used) return NULL;  // longer than any header we know
        used += (size_t)n;
    }
    for (int k = 0; k < N_LAYOUTS; k++)
        if (strcmp(joined, LAYOUTS[k].header) == 0) return &LAYOUTS[k];
    return NULL;
}

// The position of a whole column name in the header (a layout names only its own columns).
static int column_index(const LogLayout *layout, const char *column) {
    size_t len = strlen(column);
    const char *p = layout->header;
    for (int index = 0;; index++) {
        size_t n = strcspn(p, ",");
        if (n == len && strncmp(p, column, len) == 0) return index;
        if (p[n] == '\0') {  // a mistake in LAYOUTS
            fprintf(stderr, "plot: the layout '%s' has no column '%s'\n", layout->header, column);
            abort();
        }
        p += n + 1;
    }
}

static int count_columns(const char *header) {
    int n = 1;
    for (const char *p = header; *p; p++) n += *p == ',';
    return n;
}

// A whole cell as a number: strtod reads "nan", "inf" and "-nan" too.
static bool parse_cell(const char *text, double *value) {
    char *end;
    *value = strtod(text, &end);
    return end != text && *end == '\0';
}

static bool start_series(TrainingLog *log, const LogLayout *layout, long capacity) {
    *log = (TrainingLog){.kind = layout->kind, .x_title = layout->x_title, .n_series = layout->n_series};
    for (int p = 0; p < PLOT_MAX_PANELS; p++) log->panels[p] = layout->panels[p];
    bool ok = true;
    for (int i = 0; i < layout->n_series; i++) {
        const SeriesSpec *spec = &layout->series[i];
        PlotSeries *s = &log->series[i];
        *s = (PlotSeries){.column = spec->column, .label = spec->label, .short_name = spec->short_name,
                            .colour = spec->colour, .panel = spec->panel};
        s->step = malloc(sizeof(double) * (size_t)capacity);
        s->value = malloc(sizeof(double) * (size_t)capacity);
        ok = ok && s->step != NULL && s->value != NULL;
    }
    return ok;
}

void training_log_free(TrainingLog *log) {
    for (int i = 0; i < log->n_series; i++) {
        free(log->series[i].step);
        free(log->series[i].value);
    }
    *log = (TrainingLog){0};
}

// Marks an empty cell among the values of a row (a NaN cell is a value: it breaks the line).
static const double EMPTY_CELL = -HUGE_VAL;

typedef struct Reading {
    TrainingLog *log;
    bool unterminated;  // the text does not end with a line break
    const LogLayout *layout;
    const char *name;
    char *error;
    size_t error_len;
} Reading;

// One data row: the step, then every series column that is not empty. Nothing is
// kept from a row with an error.
static bool read_row(Reading *r, const Record *row) {
    int n_fields = count_columns(r->layout->header);
    if (row->n_fields != n_fields) {
        snprintf(r->error, r->error_len, "%s:%d: expected %d fields (%s), found %d", r->name, row->line, n_fields,
                 r->layout->header, row->n_fields);
        return false;
    }
    double step, values[PLOT_MAX_SERIES];
    if (!parse_cell(row->fields[0].text, &step) || !isfinite(step)) {
        snprintf(r->error, r->error_len, "%s:%d: the %s must be a number, found '%s'", r->name, row->line,
                 r->layout->x_title, row->fields[0].text);
        return false;
    }
    for (int i = 0; i < r->log->n_series; i++) {
        const char *cell = row->fields[column_index(r->layout, r->log->series[i].column)].text;
        values[i] = NAN;
        if (cell[0] != '\0' && !parse_cell(cell, &values[i])) {
            snprintf(r->error, r->error_len, "%s:%d: %s must be a number or empty, found '%s'", r->name, row->line,
                     r->log->series[i].column, cell);
            return false;
        }
        if (cell[0] == '\0') values[i] = EMPTY_CELL;
    }
    for (int i = 0; i < r->log->n_series; i++) {
        PlotSeries *s = &r->log->series[i];
        if (values[i] == EMPTY_CELL) continue;
        s->step[s->n] = step;
        s->value[s->n++] = values[i];
    }
    r->log->n_rows++;
    return true;
}

// The next record that is not a blank line.
static ReadResult next_record(RecordReader *reader, Record *record, char *why, size_t why_len) {
    ReadResult result;
    do result = record_read(reader, record, why, why_len);
    while (result == READ_RECORD && record->blank);
    return result;
}

static long count_lines(const char *text, size_t len) {
    long n = 1;
    for (size_t i = 0; i < len; i++) n += text[i] == '\n';
    return n;
}

// "FILE:LINE: not a training log: the header must be 'H' (written by), or ...", from LAYOUTS.
static void describe_known_headers(Reading *r, int line) {
    int at = snprintf(r->error, r->error_len, "%s:%d: not a training log: the header must be", r->name, line);
    for (int i = 0; i < N_LAYOUTS && at >= 0 && (size_t)at < r->error_len; i++)
        at += snprintf(r->error + at, r->error_len - (size_t)at, "%s '%s' (%s)", i == 0 ? "" : ",", LAYOUTS[i].header,
                       LAYOUTS[i].written_by);
}

// The header decides the layout; false with a message when it is none we know.
static const LogLayout *read_log_header(RecordReader *reader, Record *record, Reading *r) {
    char why[256], joined[128];
    ReadResult result = next_record(reader, record, why, sizeof why);
    const LogLayout *layout = NULL;
    if (result == READ_END)
        snprintf(r->error, r->error_len, "%s: the file is empty: no header, no rows", r->name);
    else if (result != READ_RECORD)
        snprintf(r->error, r->error_len, "%s:%d: %s", r->name, record->line, result == READ_BAD_RECORD ? why : "out of memory");
    else if ((layout = find_layout(record, joined, sizeof joined)) == NULL)
        describe_known_headers(r, record->line);
    return layout;
}

// A run still writing its log leaves the last line unfinished: that line is left out
// (and the log says so) instead of failing.
static bool read_log_rows(RecordReader *reader, Record *record, Reading *r) {
    char why[256];
    ReadResult result;
    while ((result = next_record(reader, record, why, sizeof why)) == READ_RECORD) {
        if (read_row(r, record)) continue;
        if (!r->unterminated || reader->pos < reader->len) return false;
        r->log->unfinished_last_line = true;
        result = READ_END;
        break;
    }
    if (result != READ_END) {
        snprintf(r->error, r->error_len, "%s:%d: %s", r->name, record->line, result == READ_BAD_RECORD ? why : "out of memory");
        return false;
    }
    if (r->log->n_rows == 0) {
        snprintf(r->error, r->error_len, "%s: no rows after the header yet: nothing to plot", r->name);
        return false;
    }
    return true;
}

bool training_log_parse(TrainingLog *log, const char *text, size_t len, const char *name, char *error,
                        size_t error_len) {
    *log = (TrainingLog){0};
    RecordReader reader;
    record_reader_init(&reader, text, len, ',', true);
    Record record = {0};
    Reading r = {.log = log, .unterminated = len > 0 && text[len - 1] != '\n', .name = name, .error = error,
                 .error_len = error_len};
    r.layout = read_log_header(&reader, &record, &r);
    bool ok = r.layout != NULL;
    if (ok && !start_series(log, r.layout, count_lines(text, len))) {
        snprintf(error, error_len, "%s: out of memory", name);
        ok = false;
    }
    ok = ok && read_log_rows(&reader, &record, &r);
    record_free(&record);
    if (!ok) training_log_free(log);
    return ok;
}

bool training_log_read(TrainingLog *log, const char *path, char *error, size_t error_len) {
    *log = (TrainingLog){0};
    size_t len;
    char *text = read_text_file(path, &len, error, error_len);
    if (text == NULL) return false;
    bool ok = training_log_parse(log, text, len, path, error, error_len);
    free(text);
    return ok;
}
