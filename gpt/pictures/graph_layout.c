// The layered layout of the autograd graph (see graph_picture.h): boxes, rows, order
// within a row, positions, and the bands of the decoder blocks.
#include <stdlib.h>
#include <string.h>

#include "gpt/pictures/graph_picture.h"

static const double CHAR_WIDTH = 7.3;    // of the 12-pixel monospace font of the boxes
static const double LINE_HEIGHT = 15;
static const double BOX_PADDING = 8;
static const double BOX_GAP = 28;        // between the boxes of a row
static const double NODE_ROW_GAP = 40;   // above a row of nodes
static const double LEAF_ROW_GAP = 18;   // between the leaves and the nodes that read them
static const double MARGIN = 40;
static const double BAND_LABEL_WIDTH = 90;  // left of everything, for "blocks.0"

// The box that holds tensor t among boxes[0 .. n), searching from the most recent;
// -1 when none does.
static int box_of(const GraphPicture *p, int n, const Tensor *t) {
    for (int i = n - 1; i >= 0; i--)
        if (p->boxes[i].tensor == t) return i;
    return -1;
}

static void size_box(GraphBox *box, bool values) {
    char line[256];
    int lines = 0;
    double widest = 0;
    while (graph_box_line(box, values, lines, line, sizeof line) != GRAPH_LINE_NONE) {
        int chars = 0;
        for (const unsigned char *s = (const unsigned char *)line; *s; s++) chars += (*s & 0xC0) != 0x80;
        if (chars * CHAR_WIDTH > widest) widest = chars * CHAR_WIDTH;
        lines++;
    }
    box->width = widest + 2 * BOX_PADDING;
    box->height = lines * LINE_HEIGHT + BOX_PADDING;
}

// "blocks.12" from "blocks.12.attn.softmax"; false when the name is not in a block.
static bool band_name(const char *name, char *buf, size_t len) {
    const char *prefix = "blocks.";
    if (strncmp(name, prefix, strlen(prefix)) != 0) return false;
    const char *end = name + strlen(prefix);
    while (*end >= '0' && *end <= '9') end++;
    if (end == name + strlen(prefix) || (*end != '.' && *end != '\0')) return false;
    snprintf(buf, len, "%.*s", (int)(end - name), name);
    return true;
}

static int band_of(GraphPicture *p, const char *name) {
    char band[32];
    if (!band_name(name, band, sizeof band)) return -1;
    for (int i = 0; i < p->n_bands; i++)
        if (strcmp(p->bands[i].name, band) == 0) return i;
    snprintf(p->bands[p->n_bands].name, sizeof p->bands[0].name, "%s", band);
    return p->n_bands++;
}

static int add_box(GraphPicture *p, const Tensor *t, const Node *node, int row) {
    GraphBox *box = &p->boxes[p->n_boxes];
    *box = (GraphBox){.tensor = t, .node = node, .row = row, .band = band_of(p, t->name)};
    size_box(box, p->values);
    return p->n_boxes++;
}

// A node's layer is one more than the largest layer among the nodes it reads.
static void add_node(GraphPicture *p, const Node *node) {
    int layer = 0;
    for (int k = 0; k < node->n_inputs; k++) {
        int from = node->inputs[k] != NULL ? box_of(p, p->n_nodes, node->inputs[k]) : -1;
        if (from >= 0 && p->boxes[from].row / 2 + 1 > layer) layer = p->boxes[from].row / 2 + 1;
    }
    add_box(p, node->out, node, 2 * layer + 1);
    p->n_nodes++;
}

// The arrows into node `to`. A leaf it reads gets a box in the row just above the
// node's, made once per leaf and row.
static void add_inputs(GraphPicture *p, int to) {
    const Node *node = p->boxes[to].node;
    int leaf_row = p->boxes[to].row - 1;
    for (int k = 0; k < node->n_inputs; k++) {
        const Tensor *in = node->inputs[k];
        if (in == NULL) continue;
        int from = box_of(p, to, in);
        for (int i = p->n_nodes; i < p->n_boxes && from < 0; i++)
            if (p->boxes[i].tensor == in && p->boxes[i].row == leaf_row) from = i;
        if (from < 0) from = add_box(p, in, NULL, leaf_row);
        p->edges[p->n_edges++] = (GraphEdge){.from = from, .to = to, .slot = k};
    }
}

// Orders the boxes of one row by where their arrows want them (desired[i] for box
// members[i]) and pushes them apart, left to right, until none overlap; then shifts
// the row so that on average every box is where it wanted to be.
static void place_row(GraphPicture *p, int *members, double *desired, int n) {
    for (int i = 1; i < n; i++)  // insertion sort: rows are short, and equal wishes keep tape order
        for (int j = i; j > 0 && desired[j] < desired[j - 1]; j--) {
            double d = desired[j];
            desired[j] = desired[j - 1], desired[j - 1] = d;
            int m = members[j];
            members[j] = members[j - 1], members[j - 1] = m;
        }
    double shift = 0;
    for (int i = 0; i < n; i++) {
        GraphBox *box = &p->boxes[members[i]];
        box->x = desired[i];
        if (i > 0) {
            const GraphBox *left = &p->boxes[members[i - 1]];
            double least = left->x + (left->width + box->width) / 2 + BOX_GAP;
            if (box->x < least) box->x = least;
        }
        shift += desired[i] - box->x;
    }
    for (int i = 0; i < n; i++) p->boxes[members[i]].x += shift / n;
}

double graph_edge_entry_x(const GraphPicture *p, const GraphEdge *e) {
    const GraphBox *to = &p->boxes[e->to];
    int inputs = to->node->n_inputs;
    return to->x + (inputs > 1 ? (e->slot - (inputs - 1) / 2.0) * to->width / (inputs + 1) : 0.0);
}

// Where a box wants to be: a node under the mean of the nodes it reads; a leaf, or a
// node that reads only leaves (the embeddings), above the places where its arrows enter
// the nodes that read it, as placed so far.
static void desired_positions(const GraphPicture *p, const int *members, double *desired, int n) {
    for (int i = 0; i < n; i++) {
        double from_sum = 0, to_sum = 0;
        int from_count = 0, to_count = 0;
        for (int e = 0; e < p->n_edges; e++) {
            const GraphEdge *edge = &p->edges[e];
            if (edge->to == members[i] && edge->from < p->n_nodes) from_sum += p->boxes[edge->from].x, from_count++;
            if (edge->from == members[i]) to_sum += graph_edge_entry_x(p, edge), to_count++;
        }
        desired[i] = from_count > 0 ? from_sum / from_count : to_count > 0 ? to_sum / to_count : 0.0;
    }
}

static int max_row(const GraphPicture *p) {
    int rows = 0;
    for (int i = 0; i < p->n_boxes; i++)
        if (p->boxes[i].row > rows) rows = p->boxes[i].row;
    return rows;
}

// Rows from the top; the nodes of a layer before the leaves above them, which follow
// them. Twice: the second pass puts the nodes that read only leaves (the embeddings)
// above the nodes that read them.
static void place_columns(GraphPicture *p, int *members, double *desired) {
    int rows = max_row(p);
    for (int layer = 0; 2 * layer + 1 <= rows; layer++)
        for (int row = 2 * layer + 1; row >= 2 * layer; row--) {
            int n = 0;
            for (int i = 0; i < p->n_boxes; i++)
                if (p->boxes[i].row == row) members[n++] = i;
            desired_positions(p, members, desired, n);
            place_row(p, members, desired, n);
        }
}

// The rows from the top, each as tall as its tallest box; everything moved right of
// the band labels.
static void place_rows(GraphPicture *p) {
    double left = 0, right = 0;
    for (int i = 0; i < p->n_boxes; i++) {
        const GraphBox *b = &p->boxes[i];
        if (i == 0 || b->x - b->width / 2 < left) left = b->x - b->width / 2;
        if (i == 0 || b->x + b->width / 2 > right) right = b->x + b->width / 2;
    }
    double shift = MARGIN + BAND_LABEL_WIDTH - left, y = MARGIN + 30;  // room for the title
    int rows = max_row(p), previous = -1;
    for (int row = 0; row <= rows; row++) {
        double height = -1;
        for (int i = 0; i < p->n_boxes; i++)
            if (p->boxes[i].row == row && p->boxes[i].height > height) height = p->boxes[i].height;
        if (height < 0) continue;  // an empty row
        y += row % 2 == 1 && previous == row - 1 ? LEAF_ROW_GAP : NODE_ROW_GAP;
        for (int i = 0; i < p->n_boxes; i++)
            if (p->boxes[i].row == row) p->boxes[i].y = y, p->boxes[i].x += shift;
        y += height;
        previous = row;
    }
    p->width = right - left + 2 * MARGIN + BAND_LABEL_WIDTH;
    p->height = y + MARGIN;
}

static void place_bands(GraphPicture *p) {
    for (int band = 0; band < p->n_bands; band++) {
        GraphBand *b = &p->bands[band];
        b->top = p->height, b->bottom = 0;
        for (int i = 0; i < p->n_boxes; i++) {
            const GraphBox *box = &p->boxes[i];
            if (box->band != band) continue;
            if (box->y - 12 < b->top) b->top = box->y - 12;
            if (box->y + box->height + 12 > b->bottom) b->bottom = box->y + box->height + 12;
        }
    }
}

// The nodes of the tape, first to last.
static const Node **tape_nodes(int *n) {
    *n = the_tape.n_nodes;
    const Node **nodes = malloc(sizeof *nodes * (size_t)(*n > 0 ? *n : 1));
    if (nodes == NULL) return NULL;
    int i = *n;
    for (const Node *node = the_tape.last; node != NULL && i > 0; node = node->prev) nodes[--i] = node;
    return nodes;
}

bool graph_picture_layout(GraphPicture *p, bool values) {
    int n;
    const Node **nodes = tape_nodes(&n);
    size_t most_boxes = (size_t)n * (NODE_MAX_INPUTS + 1) + 1;
    *p = (GraphPicture){.values = values};
    p->boxes = calloc(most_boxes, sizeof *p->boxes);
    p->edges = calloc(most_boxes, sizeof *p->edges);
    p->bands = calloc(most_boxes, sizeof *p->bands);
    int *members = malloc(sizeof(int) * most_boxes);
    double *desired = malloc(sizeof(double) * most_boxes);
    bool ok = nodes != NULL && p->boxes != NULL && p->edges != NULL && p->bands != NULL && members != NULL &&
              desired != NULL;
    if (ok) {
        for (int i = 0; i < n; i++) add_node(p, nodes[i]);
        for (int i = 0; i < n; i++) add_inputs(p, i);
        place_columns(p, members, desired);
        place_columns(p, members, desired);
        place_rows(p);
        place_bands(p);
    }
    free(nodes);
    free(members);
    free(desired);
    if (!ok) graph_picture_free(p);
    return ok;
}

void graph_picture_free(GraphPicture *p) {
    free(p->boxes);
    free(p->edges);
    free(p->bands);
    *p = (GraphPicture){0};
}
