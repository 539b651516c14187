// What a box of the graph picture says, line by line, shared by the SVG and the text
// listing so that the two always agree.
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gpt/pictures/graph_picture.h"

static const char ELLIPSIS[] = "\xe2\x80\xa6";  // …

int graph_values_lines(const Tensor *t) {
    long rows = tensor_rows(t);
    return rows > GRAPH_MAX_ROWS_SHOWN ? GRAPH_MAX_ROWS_SHOWN + 1 : (int)rows;  // + a line of "…"
}

// Three significant digits in a column of 10 characters: "  0.0123", " -1.2e-05".
static int format_value(char *buf, size_t len, float v) { return snprintf(buf, len, "%10.3g", (double)v); }

bool graph_values_line(const float *values, const Tensor *shape_of, int line, char *buf, size_t len) {
    long rows = tensor_rows(shape_of);
    int cols = tensor_cols(shape_of);
    if (line >= graph_values_lines(shape_of)) return false;
    if (line == GRAPH_MAX_ROWS_SHOWN) {
        snprintf(buf, len, "   %s %ld rows in all", ELLIPSIS, rows);
        return true;
    }
    size_t used = 0;
    buf[0] = '\0';
    int shown = cols > GRAPH_MAX_COLS_SHOWN ? GRAPH_MAX_COLS_SHOWN : cols;
    for (int j = 0; j < shown && used < len; j++)
        used += (size_t)format_value(buf + used, len - used, values[(long)line * cols + j]);
    if (shown < cols && used < len) snprintf(buf + used, len - used, " %s", ELLIPSIS);
    return true;
}

// The heading and numbers of one tensor's values (or gradient): lines 0 .. 1 + shown rows.
static GraphLineKind values_block_line(const char *heading, const float *values, const Tensor *t, int line,
                                       char *buf, size_t len) {
    if (line == 0) {
        snprintf(buf, len, "%s%s", heading, values == NULL ? ": none" : "");
        return GRAPH_LINE_HEADING;
    }
    if (values == NULL || !graph_values_line(values, t, line - 1, buf, len)) return GRAPH_LINE_NONE;
    return GRAPH_LINE_NUMBERS;
}

GraphLineKind graph_box_line(const GraphBox *box, bool values, int line, char *buf, size_t len) {
    const Tensor *t = box->tensor;
    char shape[64];
    if (line == 0) {
        snprintf(buf, len, "%s", t->name);
        return GRAPH_LINE_NAME;
    }
    if (line == 1) {
        snprintf(buf, len, "%s %s", box->node != NULL ? box->node->op->name : "leaf",
                 shape_string(t->shape, shape, sizeof shape));
        return GRAPH_LINE_OP;
    }
    if (!values) return GRAPH_LINE_NONE;
    int value_lines = 1 + graph_values_lines(t);
    if (line - 2 < value_lines) return values_block_line("value", t->data, t, line - 2, buf, len);
    return values_block_line("gradient", t->grad, t, line - 2 - value_lines, buf, len);
}
