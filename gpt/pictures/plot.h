// Training curves: the CSV logs of `gpt pretrain --log` and `gpt finetune --log`,
// read into series and drawn as an SVG picture of two panels sharing the step axis:
//
//   pre-training   upper panel: train and validation loss;  lower: the learning rate
//   fine-tuning    upper panel: L3, L2 and L1;              lower: the dev metric
//
// and the two tables of the paper's Figure 2 that tests/experiments/figure2.sh writes:
//
//   zero-shot      step,val_loss,sentiment,choice,acceptability: the zero-shot accuracies
//                  (upper) and the validation loss (lower) against pre-training steps
//   transfer       layers,dev_accuracy,train_l2: the dev accuracy (upper) and the last
//                  training loss (lower) against the blocks transferred
//
// and the second figure of tests/experiments/table5.sh:
//
//   pre-training steps   pretraining_steps,val_loss,dev_accuracy,test_accuracy: SST-2's
//                  accuracies (upper) and the LM's validation loss (lower) against the
//                  pre-training steps of the checkpoint fine-tuned
//
// The reader accepts what those programs write and nothing else: an unknown header,
// a row with the wrong number of fields or a cell that is not a number is an error
// naming the file and line. Empty cells are rows without that value (validation runs
// only every --eval-every steps); "nan" and "inf" are read, and drawn as gaps. A last
// line without its line break that does not parse is left out: a run still writing
// the log can be plotted.
#ifndef GPT1_PLOT_H
#define GPT1_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum { PLOT_MAX_SERIES = 4, PLOT_MAX_PANELS = 2 };

typedef struct PlotSeries {
    const char *column;    // the CSV column: "train_loss"
    const char *label;     // the legend's name for it: "train", "L3 = L2 + λ·L1"
    const char *short_name;  // in the summary line: "train", "L3"
    const char *colour;    // "#0072b2"
    int panel;             // 0: the upper panel, 1: the lower one
    long n;                // points: the rows that have a value in this column
    double *step, *value;  // value may be NaN or ±inf: not drawn, it breaks the line
} PlotSeries;

typedef struct PlotPanel {
    const char *title;  // the y-axis title
    bool from_zero;     // the y axis includes 0 (a learning rate)
    bool up_to_one;     // and 1 (an accuracy, a correlation)
} PlotPanel;

typedef struct TrainingLog {
    const char *kind;                     // "Pre-training", "Fine-tuning", "Zero-shot", "Transfer", ...
    const char *x_title;                  // the first column: "step", "pre-training step", ...
    PlotPanel panels[PLOT_MAX_PANELS];
    PlotSeries series[PLOT_MAX_SERIES];
    int n_series;
    long n_rows;
    bool unfinished_last_line;  // left out: the run writing the log was in the middle of it
} TrainingLog;

// Reads a log; false and a one-line message ("loss.csv:7: ...") on a problem.
bool training_log_read(TrainingLog *log, const char *path, char *error, size_t error_len);
// The same from text in memory; `name` stands for the file in messages.
bool training_log_parse(TrainingLog *log, const char *text, size_t len, const char *name, char *error,
                        size_t error_len);
void training_log_free(TrainingLog *log);

// Draws the log; false when the file could not be written.
bool plot_training_log(FILE *file, const TrainingLog *log, const char *title);

// Axis helpers, exposed for the tests. Tick positions at 1, 2 or 5 times a power of
// ten covering [lo, hi]: widens *lo and *hi to the outer ticks and returns how many
// ticks it wrote to ticks (at most max).
int plot_nice_ticks(double *lo, double *hi, double *ticks, int max);
// A tick label with as many decimals as the tick spacing needs: 0.25, 1e-05, 2000.
void plot_format_tick(double value, double spacing, char *buf, size_t len);

#endif
