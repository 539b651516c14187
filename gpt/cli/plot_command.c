// gpt plot: the loss curves of a training log (gpt pretrain --log, gpt finetune --log)
// as an SVG picture.
#include <stdio.h>
#include <string.h>

#include "gpt/cli/commands.h"
#include "gpt/pictures/plot.h"

// "runs/loss.csv" -> "loss.csv": the default title names the file, not the path.
static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int plot_command(int argc, char **argv) {
    const char *log_path = NULL, *out = "loss.svg", *title = NULL;
    Option options[] = {
        {"log", OPTION_STRING, &log_path, "the CSV log of gpt pretrain --log or gpt finetune --log (required)", 0},
        {"out", OPTION_STRING, &out, "the SVG picture to write", 0},
        {"title", OPTION_STRING, &title, "the picture's title (default: the kind of run and the log's name)", 0},
        {NULL, OPTION_FLAG, NULL, NULL, 0},
    };
    Command command = {"plot", "Draws the loss curves of a training log as an SVG picture.",
                       "plot --log LOG.csv [--out loss.svg] [--title TEXT]", options};
    parse_options(&command, argc, argv);
    if (log_path == NULL) usage_error(&command, "--log is required");
    if (!ends_with_text(out, ".svg")) usage_error(&command, "--out must name an .svg file, got '%s'", out);
    TrainingLog log;
    char error[512];
    if (!training_log_read(&log, log_path, error, sizeof error)) usage_error(&command, "%s", error);
    char default_title[256];
    snprintf(default_title, sizeof default_title, "%s: %s", log.kind, base_name(log_path));
    FILE *file = open_output_or_exit(&command, out);
    bool written = plot_training_log(file, &log, title ? title : default_title);
    close_output_or_exit(file, out, written);
    if (log.unfinished_last_line) fprintf(stderr, "note: %s: the last line is unfinished and was left out\n", log_path);
    fprintf(stderr, "%s: %ld rows -> %s\n", log_path, log.n_rows, out);
    training_log_free(&log);
    return 0;
}
