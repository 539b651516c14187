// The autograd graph as a picture that the program lays out and draws itself: every
// node of the tape is a box (its name, its op and its shape; with values, also its
// value and its gradient), every leaf it reads (a parameter such as
// blocks.0.attn.c_attn.weight) a rounded box just above it, and an arrow goes from
// each input to the op that reads it.
//
// The layout is layered. The tape is already in topological order, so one pass over it
// gives every node its layer: 1 + the largest layer among the nodes it reads (the
// longest path to it). The leaves of a node sit in a thin row just above its layer.
// Within a row the boxes are ordered by the mean position of their inputs (the
// barycentre heuristic, which keeps most arrows short and uncrossed) and then pushed
// apart so that none overlap. The rows of each decoder block (names blocks.N.*) lie on
// a shaded band labelled with the block's name.
#ifndef GPT1_GRAPH_PICTURE_H
#define GPT1_GRAPH_PICTURE_H

#include <stdbool.h>
#include <stdio.h>

#include "autograd/tape.h"

typedef struct GraphBox {
    const Tensor *tensor;  // the node's output, or the leaf
    const Node *node;      // NULL for a leaf
    int row;               // 2·layer for the leaves read by layer `layer`, 2·layer + 1 for its nodes
    int band;              // the block band it is drawn on, or -1
    double x, y;           // the centre of its top edge
    double width, height;
} GraphBox;

typedef struct GraphEdge {
    int from, to;  // box indices
    int slot;      // which input of `to`: 0, 1 or 2
} GraphEdge;

typedef struct GraphBand {
    char name[32];      // "blocks.0"
    double top, bottom;
} GraphBand;

typedef struct GraphPicture {
    GraphBox *boxes;     // the nodes in tape order, then the leaves
    int n_boxes, n_nodes;
    GraphEdge *edges;
    int n_edges;
    GraphBand *bands;
    int n_bands;
    bool values;         // the boxes show the values and gradients
    double width, height;
} GraphPicture;

enum { GRAPH_MAX_ROWS_SHOWN = 4, GRAPH_MAX_COLS_SHOWN = 6 };  // of a tensor's values, in a box

// Lays out the graph recorded on the tape now (the_tape). False when out of memory.
bool graph_picture_layout(GraphPicture *picture, bool values);
void graph_picture_free(GraphPicture *picture);
// Where an arrow enters the node it goes to: the node's inputs enter side by side,
// the first on the left.
double graph_edge_entry_x(const GraphPicture *picture, const GraphEdge *edge);
// The SVG: boxes of class "node", "leaf" and "band", arrows of class "edge". False
// when the file could not be written.
bool graph_write_svg(FILE *file, const GraphPicture *picture, const char *title);
// The same graph as text: one paragraph per box, in tape order, the leaves with the
// node that reads them, grouped under a line per block; with values, each tensor's
// first values and gradients.
void graph_write_text(FILE *file, const GraphPicture *picture);

// The text of a box, line by line: its name, "op [shape]" (or "leaf [shape]"), and with
// values a "value" line followed by the values and a "gradient" line followed by the
// gradient. Writes line `line` (0-based) into buf and returns its kind; GRAPH_LINE_NONE
// past the last line.
typedef enum { GRAPH_LINE_NONE, GRAPH_LINE_NAME, GRAPH_LINE_OP, GRAPH_LINE_HEADING, GRAPH_LINE_NUMBERS } GraphLineKind;
GraphLineKind graph_box_line(const GraphBox *box, bool values, int line, char *buf, size_t len);

// How a box shows a tensor's values: at most GRAPH_MAX_ROWS_SHOWN rows of the
// tensor seen as [rows, last dim], each at most GRAPH_MAX_COLS_SHOWN numbers, with
// "…" for the rest. Writes line `line` (0-based) into buf; false past the last line.
bool graph_values_line(const float *values, const Tensor *shape_of, int line, char *buf, size_t len);
int graph_values_lines(const Tensor *t);  // how many lines graph_values_line gives

#endif
