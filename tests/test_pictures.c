// The pictures: gpt plot, gpt attention, gpt graph, and what they are made of (the SVG
// writer, the log reader, the heatmap). Every SVG is checked to be well-formed XML by
// a small checker below; elements are counted through their class attributes.
// Also --check-finite on gpt pretrain.
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "autograd/tape.h"
#include "gpt/checkpoint.h"
#include "gpt/pictures/attention_scores.h"
#include "gpt/pictures/heatmap.h"
#include "gpt/pictures/plot.h"
#include "gpt/pictures/svg.h"
#include "tests/helpers.h"
#include "tests/xml_check.h"

static int count_text(const char *text, const char *needle) {
    int n = 0;
    for (const char *p = strstr(text, needle); p != NULL; p = strstr(p + 1, needle)) n++;
    return n;
}

// The number of points of the first polyline whose class is "series <column>", or -1.
static int polyline_points(const char *svg, const char *column) {
    char start[96];
    snprintf(start, sizeof start, "<polyline class=\"series %s\"", column);
    const char *p = strstr(svg, start);
    if (p == NULL) return -1;
    p = strstr(p, "points=\"") + strlen("points=\"");
    int n = 1;
    for (; *p != '"'; p++) n += *p == ' ';
    return n;
}

START_TEST(test_xml_checker_can_fail) {
    char why[200];
    ck_assert(xml_well_formed("<?xml version=\"1.0\"?>\n<a x=\"1\"><b/>t &amp; \xc3\xa9</a>\n", why, sizeof why));
    const char *bad[] = {"<a><b></a></b>", "<a>&foo;</a>", "<a/><b/>", "<a x=1/>", "<a>\xff</a>", "<a>x", "<a x=\"<\"/>",
                         "<a>\x01</a>", "text<a/>"};
    for (int i = 0; i < (int)(sizeof bad / sizeof bad[0]); i++)
        ck_assert_msg(!xml_well_formed(bad[i], why, sizeof why), "accepted %s", bad[i]);
}
END_TEST

// Everything written to a temporary file, as a string (free it).
static char *contents(FILE *file) {
    long size = ftell(file);
    rewind(file);
    char *text = malloc((size_t)size + 1);
    size_t n = fread(text, 1, (size_t)size, file);
    text[n] = '\0';
    fclose(file);
    return text;
}

START_TEST(test_svg_escapes_text) {
    FILE *file = tmpfile();
    svg_escape(file, "a<b&c\"d'e>f \x01 \xff \xc3\xa9 \xed\xa0\x80 \xe2\x90\xa3");
    char *text = contents(file);
    ck_assert_str_eq(text, "a&lt;b&amp;c&quot;d&apos;e&gt;f \\x01 \\xff \xc3\xa9 \\xed\\xa0\\x80 \xe2\x90\xa3");
    free(text);
    char rgb[8];
    ck_assert_str_eq(svg_rgb(rgb, 1.0, 0.5, -3.0), "#ff8000");
}
END_TEST

START_TEST(test_nice_ticks_and_labels) {
    double ticks[16], lo = 0.13, hi = 4.7;
    int n = plot_nice_ticks(&lo, &hi, ticks, 16);
    ck_assert_int_eq(n, 6);
    ck_assert(lo == 0.0 && hi == 5.0 && ticks[2] == 2.0);
    lo = hi = 0.3;  // one value: widened around it
    n = plot_nice_ticks(&lo, &hi, ticks, 16);
    ck_assert(n >= 2 && lo < 0.3 && hi > 0.3);
    lo = -1e300, hi = 1e300;  // no overflow, a handful of ticks
    n = plot_nice_ticks(&lo, &hi, ticks, 16);
    ck_assert(n >= 2 && n <= 8 && isfinite(lo) && isfinite(hi));
    char label[32];
    plot_format_tick(0.25, 0.05, label, sizeof label);
    ck_assert_str_eq(label, "0.25");
    plot_format_tick(-1e-17, 0.5, label, sizeof label);
    ck_assert_str_eq(label, "0.0");
    plot_format_tick(2000, 500, label, sizeof label);
    ck_assert_str_eq(label, "2000");
    plot_format_tick(2e-5, 1e-5, label, sizeof label);
    ck_assert_str_eq(label, "2e-05");
    plot_format_tick(3e7, 1e7, label, sizeof label);
    ck_assert_str_eq(label, "3e+07");
}
END_TEST

static const char PRETRAIN_LOG[] =
    "step,train_loss,val_loss,lr,tokens_per_s\n"
    "1,4.5,,0.3,100.0\n"
    "2,4.0,4.2,0.3,100.0\n"
    "3,3.5,,0.3,100.0\n"
    "4,3.0,3.6,0.3,100.0\n"
    "5,2.8,,0.3,100.0\n";

static char *plot_text(const char *csv, TrainingLog *log) {
    char error[256];
    ck_assert_msg(training_log_parse(log, csv, strlen(csv), "test.csv", error, sizeof error), "%s", error);
    FILE *file = tmpfile();
    ck_assert(plot_training_log(file, log, "a <test> & a title"));
    return contents(file);
}

START_TEST(test_plot_pretrain_log) {
    TrainingLog log;
    char *svg = plot_text(PRETRAIN_LOG, &log);
    ck_assert_int_eq(log.n_rows, 5);
    ck_assert_str_eq(log.series[1].column, "val_loss");
    ck_assert_int_eq(log.series[1].n, 2);  // the empty cells are rows without a validation loss
    assert_well_formed(svg, "the loss plot");
    ck_assert_int_eq(count_text(svg, "<polyline class=\"series "), 3);  // train, validation, learning rate
    ck_assert_int_eq(polyline_points(svg, "train_loss"), 5);
    ck_assert_int_eq(polyline_points(svg, "val_loss"), 2);
    ck_assert_int_eq(polyline_points(svg, "lr"), 5);
    ck_assert_ptr_nonnull(strstr(svg, "a &lt;test&gt; &amp; a title"));
    ck_assert_ptr_nonnull(strstr(svg, ">validation<"));  // the legend
    training_log_free(&log);
    free(svg);
}
END_TEST

START_TEST(test_plot_finetune_log) {
    TrainingLog log;
    char *svg = plot_text("step,epoch,l2,l1,l3,dev_metric\n1,1,0.7,3.1,2.25,\n2,1,0.6,3.0,2.1,\n2,1,,,,0.75\n"
                          "3,2,0.5,2.9,1.95,\n4,2,0.4,2.8,1.8,\n4,2,,,,0.875\n", &log);
    ck_assert_str_eq(log.kind, "Fine-tuning");
    assert_well_formed(svg, "the fine-tuning plot");
    ck_assert_int_eq(count_text(svg, "<polyline class=\"series "), 4);
    ck_assert_int_eq(polyline_points(svg, "l3"), 4);
    ck_assert_int_eq(polyline_points(svg, "dev_metric"), 2);
    training_log_free(&log);
    free(svg);
}
END_TEST

// table5.sh's second figure: no validation loss before pre-training, so that point is missing.
START_TEST(test_plot_pretraining_steps_table) {
    TrainingLog log;
    char *svg = plot_text("pretraining_steps,val_loss,dev_accuracy,test_accuracy\n0,,0.766,0.7523\n"
                          "5000,5.23,0.7741,0.7294\n10000,4.84,0.7712,0.742\n20000,4.50,0.7957,0.7534\n", &log);
    ck_assert_str_eq(log.kind, "Pre-training steps");
    assert_well_formed(svg, "the pre-training steps plot");
    ck_assert_int_eq(count_text(svg, "<polyline class=\"series "), 3);
    ck_assert_int_eq(polyline_points(svg, "dev_accuracy"), 4);
    ck_assert_int_eq(polyline_points(svg, "test_accuracy"), 4);
    ck_assert_int_eq(polyline_points(svg, "val_loss"), 3);
    ck_assert_ptr_nonnull(strstr(svg, ">test accuracy (scored once)<"));
    training_log_free(&log);
    free(svg);
}
END_TEST

START_TEST(test_plot_odd_logs) {
    TrainingLog log;
    char *svg = plot_text("step,train_loss,val_loss,lr,tokens_per_s\n7,2.5,,0.1,5\n", &log);  // one row
    assert_well_formed(svg, "a one-row plot");
    ck_assert_int_eq(polyline_points(svg, "train_loss"), 1);
    ck_assert_ptr_nonnull(strstr(svg, "validation (no values)"));
    training_log_free(&log), free(svg);
    // NaN and inf break the line into two polylines; the legend says what was left out
    svg = plot_text("step,train_loss,val_loss,lr,tokens_per_s\n1,3,,0.1,5\n2,2,,0.1,5\n3,nan,,0.1,5\n4,inf,,0.1,5\n"
                    "5,-nan,,0.1,5\n6,1,,0.1,5\n7,0.5,,0.1,5\n", &log);
    assert_well_formed(svg, "a plot with NaN");
    ck_assert_int_eq(count_text(svg, "<polyline class=\"series train_loss\""), 2);
    ck_assert_ptr_nonnull(strstr(svg, "3 NaN/inf not drawn"));
    ck_assert_ptr_null(strstr(svg, "nan\""));  // no NaN coordinate
    training_log_free(&log), free(svg);
    // twelve decades: a log axis
    svg = plot_text("step,train_loss,val_loss,lr,tokens_per_s\n1,1e12,,0.1,5\n2,1e3,,0.1,5\n3,1,,0.1,5\n", &log);
    assert_well_formed(svg, "a plot with a huge range");
    ck_assert_ptr_nonnull(strstr(svg, "(log scale)"));
    training_log_free(&log), free(svg);
    svg = plot_text("step,train_loss,val_loss,lr,tokens_per_s\n1,-1e308,,1e308,5\n1e15,1e308,,-1e308,5\n", &log);
    assert_well_formed(svg, "a plot with extreme values");
    ck_assert_ptr_null(strstr(svg, "inf\""));
    training_log_free(&log), free(svg);
    svg = plot_text("step,train_loss,val_loss,lr,tokens_per_s\n1,5e-324,,0,5\n", &log);  // the smallest double
    assert_well_formed(svg, "a plot of a denormal");
    ck_assert_ptr_null(strstr(svg, "nan"));
    training_log_free(&log), free(svg);
}
END_TEST

static void assert_log_error(const char *csv, const char *expected) {
    TrainingLog log;
    char error[512];  // as gpt plot's
    ck_assert_msg(!training_log_parse(&log, csv, strlen(csv), "bad.csv", error, sizeof error), "accepted %s", csv);
    ck_assert_msg(strstr(error, expected) != NULL, "expected '%s' in '%s'", expected, error);
}

START_TEST(test_log_errors_name_the_line) {
    assert_log_error("", "bad.csv: the file is empty");
    assert_log_error("step,train_loss,val_loss,lr,tokens_per_s\n", "no rows");
    assert_log_error("a,b,c\n1,2,3\n", "bad.csv:1: not a training log");
    // every known header, with what writes it, the last one too
    assert_log_error("a,b,c\n1,2,3\n", "'step,train_loss,val_loss,lr,tokens_per_s' (gpt pretrain --log), ");
    assert_log_error("a,b,c\n1,2,3\n", ", 'pretraining_steps,val_loss,dev_accuracy,test_accuracy' (tests/experiments/table5.sh)");
    assert_log_error("step,train_loss,val_loss,lr,tokens_per_s\n1,2,,0.1,5\n2,3,0.1\n", "bad.csv:3: expected 5 fields");
    assert_log_error("step,train_loss,val_loss,lr,tokens_per_s\n1,2,,0.1,5\n\n2,abc,,0.1,5\n",
                     "bad.csv:4: train_loss must be a number or empty, found 'abc'");
    assert_log_error("step,train_loss,val_loss,lr,tokens_per_s\n,2,,0.1,5\n", "bad.csv:2: the step must be a number");
    assert_log_error("step,train_loss,val_loss,lr,tokens_per_s\n1,\"2,,0.1,5\n", "bad.csv:2:");
    // only an unfinished last line is forgiven
    assert_log_error("step,train_loss,val_loss,lr,tokens_per_s\n1,x,,0.1,5\n2,3,,0.1,5", "bad.csv:2:");
}
END_TEST

// A run still writing its log: the half-written last line is left out, nothing of it kept.
START_TEST(test_log_being_written) {
    const char *csv = "step,train_loss,val_loss,lr,tokens_per_s\n1,2,,0.1,5\n2,1.5,1.7,0.1,5\n3,1.4,1.";
    TrainingLog log;
    char error[256];
    ck_assert_msg(training_log_parse(&log, csv, strlen(csv), "run.csv", error, sizeof error), "%s", error);
    ck_assert(log.unfinished_last_line);
    ck_assert_int_eq(log.n_rows, 2);
    ck_assert_int_eq(log.series[0].n, 2);
    ck_assert_int_eq(log.series[1].n, 1);
    training_log_free(&log);
}
END_TEST

START_TEST(test_heatmap_svg) {
    enum { N = 4 };
    float weights[N * N] = {1, 0, 0, 0, 0.5f, 0.5f, 0, 0, 0.2f, 0.3f, 0.5f, 0, 0.1f, 0.2f, 0.3f, 0.4f};
    char *labels[N] = {"<", "&amp;", "a\xff", "\"quoted\"and_a_long_label"};
    Heatmap map = {.weights = weights, .n = N, .labels = labels, .title = "Attention <0>", .subtitle = "x & y",
                   .causal = true};
    FILE *file = tmpfile();
    ck_assert(heatmap_write_svg(file, &map));
    char *svg = contents(file);
    assert_well_formed(svg, "the heatmap");
    ck_assert_int_eq(count_text(svg, "<rect class=\"cell"), N * N);
    ck_assert_int_eq(count_text(svg, "<rect class=\"cell masked\""), N * (N - 1) / 2);
    ck_assert_ptr_nonnull(strstr(svg, ">&lt;</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">&amp;amp;</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">a\\xff</text>"));
    ck_assert_ptr_nonnull(strstr(svg, "&quot;quoted&quot;a\xe2\x80\xa6"));  // cut, with an ellipsis
    free(svg);
    file = tmpfile();
    ck_assert(heatmap_write_pgm(file, &map));
    char *pgm = contents(file);
    ck_assert(strncmp(pgm, "P5\n512 512\n255\n", 15) == 0);
    ck_assert_int_eq((unsigned char)pgm[15], 0);  // weight 1 is black
    free(pgm);
}
END_TEST

// Every row of a causal attention map sums to 1 and the masked cells are exactly 0.
START_TEST(test_attention_weights_rows) {
    GptConfig config = {2, 16, 2, 32, 8, 11, ACTIVATION_RELU, 0.1f};
    Gpt *model = gpt_create(&config);
    gpt_init_weights(model, 3);
    gpt_set_training(model, true);  // attention_weights must switch dropout off by itself
    int ids[6] = {1, 4, 2, 9, 4, 0};
    float weights[36];
    attention_weights(model, ids, 6, 1, 1, weights);
    for (int i = 0; i < 6; i++) {
        double sum = 0;
        for (int j = 0; j < 6; j++) {
            if (j > i) ck_assert(weights[i * 6 + j] == 0.0f);
            sum += weights[i * 6 + j];
        }
        ck_assert_double_eq_tol(sum, 1.0, 1e-5);
    }
    ck_assert_int_eq(the_tape.n_nodes, 0);  // nothing recorded
    ck_assert_ptr_nonnull(model->dropout.rng);  // and training mode is back
    Tokenizer bytes;
    tokenizer_init_bytes(&bytes);
    char label[64];
    heatmap_token_label(&bytes, ' ', label, sizeof label);
    ck_assert_str_eq(label, "\xe2\x90\xa3");
    heatmap_token_label(&bytes, '\n', label, sizeof label);
    ck_assert_str_eq(label, "\\n");
    tokenizer_free(&bytes);
    gpt_free(model);
}
END_TEST

// --- The commands, run as a user would.

// A per-process path: the tests of several builds may run at the same time.
static const char *temp_path(char *buf, size_t len, const char *name) {
    snprintf(buf, len, "%s", temp_file(name));
    return buf;
}

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static char *read_text(const char *path) {
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s was not written", path);
    fseek(f, 0, SEEK_END);
    return contents(f);
}

// Characters XML treats specially are part of the vocabulary, so labels must be escaped.
static const char TEXT[] = "if a < b && b > c then \"a\" isn't c. the cat sat on the mat; the dog sat on the log.\n";

// A tiny chars model trained for two steps, and its log.
static void make_checkpoint(const char *ckpt, const char *log) {
    char data[128], args[1024];
    write_text(temp_path(data, sizeof data, "text.txt"), TEXT);
    snprintf(args, sizeof args, "pretrain --data %s --preset nano --ctx 16 --steps 2 --batch 2 --eval-every 1 "
             "--tokenizer chars --out %s --log %s --sample-tokens 0 --quiet", data, ckpt, log);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    remove(data);
}

START_TEST(test_plot_command) {
    char ckpt[128], log[128], svg_path[128], args[1024];
    make_checkpoint(temp_path(ckpt, sizeof ckpt, "plot.ckpt"), temp_path(log, sizeof log, "plot.csv"));
    snprintf(args, sizeof args, "plot --log %s --out %s", log, temp_path(svg_path, sizeof svg_path, "loss.svg"));
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    char *svg = read_text(svg_path);
    assert_well_formed(svg, "gpt plot's picture");
    ck_assert_int_eq(polyline_points(svg, "train_loss"), 2);  // one point per row
    ck_assert_int_eq(polyline_points(svg, "val_loss"), 2);    // --eval-every 1
    free(svg);
    char bad[128];
    write_text(temp_path(bad, sizeof bad, "bad.csv"), "step,train_loss,val_loss,lr,tokens_per_s\n1,2,,0.1,5\n2,x,,0.1,5\n");
    snprintf(args, sizeof args, "plot --log %s --out %s", bad, svg_path);
    assert_usage_error(args, "bad.csv:3: train_loss must be a number");
    snprintf(args, sizeof args, "plot --log %s --out %s", ckpt, svg_path);  // binary: not a log
    assert_usage_error(args, "not a training log");
    assert_usage_error("plot --out x.svg", "--log is required");
    assert_usage_error("plot --log /nonexistent/log.csv", "/nonexistent/log.csv");
    snprintf(args, sizeof args, "plot --log %s --out loss.png", log);
    assert_usage_error(args, "--out must name an .svg file");
    snprintf(args, sizeof args, "plot --log %s --out /nonexistent/dir/loss.svg", log);
    assert_usage_error(args, "cannot write");
    remove(ckpt), remove(log), remove(svg_path), remove(bad);
}
END_TEST

START_TEST(test_attention_command) {
    char ckpt[128], log[128], out[128], args[1024];
    make_checkpoint(temp_path(ckpt, sizeof ckpt, "attn.ckpt"), temp_path(log, sizeof log, "attn.csv"));
    temp_path(out, sizeof out, "attn.svg");
    snprintf(args, sizeof args, "attention --ckpt %s --text 'a < b && \"c\"' --layer 2 --head 1 --out %s", ckpt, out);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    char *svg = read_text(out);
    assert_well_formed(svg, "gpt attention's picture");
    ck_assert_int_eq(count_text(svg, "<rect class=\"cell"), 12 * 12);  // 12 characters, 12 tokens
    ck_assert_int_eq(count_text(svg, "<rect class=\"cell masked\""), 12 * 11 / 2);
    ck_assert_ptr_nonnull(strstr(svg, ">&lt;</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">&amp;</text>"));
    ck_assert_ptr_nonnull(strstr(svg, "layer 2, head 1"));
    free(svg);
    // longer than n_ctx = 16: the last 16 tokens, with a note
    snprintf(args, sizeof args, "attention --ckpt %s --text 'the cat sat on the mat; the dog sat on the log.' --out %s",
             ckpt, out);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "showing the last 16"));
    svg = read_text(out);
    ck_assert_int_eq(count_text(svg, "<rect class=\"cell"), 16 * 16);
    free(svg);
    char pgm[128];
    snprintf(args, sizeof args, "attention --ckpt %s --text 'the cat' --out %s", ckpt, temp_path(pgm, sizeof pgm, "a.pgm"));
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    char *image = read_text(pgm);
    ck_assert(strncmp(image, "P5\n", 3) == 0);
    free(image);
    remove(pgm), remove(ckpt), remove(log), remove(out);
}
END_TEST

START_TEST(test_attention_command_errors) {
    char ckpt[128], log[128], args[1024];
    make_checkpoint(temp_path(ckpt, sizeof ckpt, "attn_err.ckpt"), temp_path(log, sizeof log, "attn_err.csv"));
    const struct {
        const char *flags, *message;
    } cases[] = {
        {"--text 'the cat' --layer 3", "--layer 3 is out of range: the model has 3 blocks, numbered 0 to 2"},
        {"--text 'the cat' --layer -1", "--layer -1 is out of range"},
        {"--text 'the cat' --head 3", "--head 3 is out of range: each block has 3 heads"},
        {"--text 'the CAT'", "--text"},  // capitals are not in the vocabulary
        {"--text ''", "--text is required"},
        {"", "--text is required"},
        {"--text 'the cat' --out attn.png", "--out must name an .svg or a .pgm file"},
    };
    for (int i = 0; i < (int)(sizeof cases / sizeof cases[0]); i++) {
        snprintf(args, sizeof args, "attention --ckpt %s %s", ckpt, cases[i].flags);
        assert_usage_error(args, cases[i].message);
    }
    assert_usage_error("attention --text 'the cat'", "--ckpt is required");
    remove(ckpt), remove(log);
}
END_TEST

static int count_dot_nodes(const char *dot) {
    int n = 0;
    for (const char *p = strstr(dot, "\n  n"); p != NULL; p = strstr(p + 1, "\n  n"))
        if (isdigit((unsigned char)p[4]) && strstr(p + 3, " [label=") == strpbrk(p + 3, " ")) n++;
    return n;
}

// The nodes the tape records for the model's loss on these characters.
static int expected_nodes(const char *ckpt, const char *text) {
    Tokenizer tokenizer;
    char error[256];
    Gpt *model = checkpoint_load(ckpt, &tokenizer, NULL, error, sizeof error);
    ck_assert_msg(model != NULL, "%s", error);
    long n;
    int *ids = tokenizer_encode(&tokenizer, text, strlen(text), &n, error, sizeof error);
    lm_loss(gpt_logits(model, ids, 1, (int)n - 1), ids + 1);
    int nodes = the_tape.n_nodes;
    tape_reset();
    free(ids);
    gpt_free(model);
    tokenizer_free(&tokenizer);
    return nodes;
}

START_TEST(test_graph_command) {
    char ckpt[128], log[128], out[128], args[1024];
    make_checkpoint(temp_path(ckpt, sizeof ckpt, "graph.ckpt"), temp_path(log, sizeof log, "graph.csv"));
    snprintf(args, sizeof args, "graph --ckpt %s --text 'the cat sat' --out %s", ckpt,
             temp_path(out, sizeof out, "graph.dot"));
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    char *dot = read_text(out);
    ck_assert(strncmp(dot, "digraph", 7) == 0);
    int nodes = expected_nodes(ckpt, "the cat sat");
    ck_assert_int_gt(nodes, 50);
    ck_assert_int_eq(count_dot_nodes(dot), nodes);
    ck_assert_ptr_nonnull(strstr(dot, "cross_entropy"));  // the loss is in the graph
    ck_assert_ptr_nonnull(strstr(dot, "\"blocks.2.mlp.c_fc.weight\""));
    ck_assert_int_eq(count_text(dot, "{"), count_text(dot, "}"));
    free(dot);
    snprintf(args, sizeof args, "graph --ckpt %s --out %s", ckpt, out);  // no --text: a few tokens of its own
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    snprintf(args, sizeof args, "graph --ckpt %s --text 't' --out %s", ckpt, out);
    assert_usage_error(args, "at least 2 tokens");
    remove(ckpt), remove(log), remove(out);
}
END_TEST

START_TEST(test_check_finite_option_names_the_op) {
    char data[128], ckpt[128], args[1024];
    write_text(temp_path(data, sizeof data, "finite.txt"), TEXT);
    snprintf(args, sizeof args, "pretrain --data %s --preset nano --ctx 16 --steps 50 --batch 2 --lr 1e6 --out %s "
             "--sample-tokens 0 --quiet --check-finite", data, temp_path(ckpt, sizeof ckpt, "finite.ckpt"));
    int status = run_gpt(args);
    ck_assert_msg(status == 1, "exit status %d: %s", status, gpt_output);
    ck_assert_msg(strstr(gpt_output, "check-finite: op ") != NULL, "%s", gpt_output);
    ck_assert_msg(strstr(gpt_output, "the training loss became") == NULL, "%s", gpt_output);  // stopped earlier, at the op
    ck_assert_int_eq(run_gpt("finetune --help"), 0);
    ck_assert_ptr_nonnull(strstr(gpt_output, "--check-finite"));
    remove(data), remove(ckpt);
}
END_TEST

static void pictures_teardown(void) { tape_reset(); }

Suite *pictures_suite(void) {
    Suite *s = suite_create("pictures");
    TCase *tc = tcase_create("writers");
    tcase_add_checked_fixture(tc, NULL, pictures_teardown);
    tcase_add_test(tc, test_xml_checker_can_fail);
    tcase_add_test(tc, test_svg_escapes_text);
    tcase_add_test(tc, test_nice_ticks_and_labels);
    tcase_add_test(tc, test_plot_pretrain_log);
    tcase_add_test(tc, test_plot_finetune_log);
    tcase_add_test(tc, test_plot_pretraining_steps_table);
    tcase_add_test(tc, test_plot_odd_logs);
    tcase_add_test(tc, test_log_errors_name_the_line);
    tcase_add_test(tc, test_log_being_written);
    tcase_add_test(tc, test_heatmap_svg);
    tcase_add_test(tc, test_attention_weights_rows);
    suite_add_tcase(s, tc);
    TCase *commands = tcase_create("commands");
    tcase_set_timeout(commands, 120);
    tcase_add_checked_fixture(commands, NULL, pictures_teardown);
    tcase_add_test(commands, test_plot_command);
    tcase_add_test(commands, test_attention_command);
    tcase_add_test(commands, test_attention_command_errors);
    tcase_add_test(commands, test_graph_command);
    tcase_add_test(commands, test_check_finite_option_names_the_op);
    suite_add_tcase(s, commands);
    return s;
}
