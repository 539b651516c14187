// Drawing the laid-out autograd graph (graph_layout.c) as SVG, and the same graph as
// text.
#include <stdio.h>

#include "gpt/pictures/graph_picture.h"
#include "gpt/pictures/svg.h"

static const double FONT = 12, LINE = 15, PADDING = 8;
static const char ARROW[] = "arrow";
static const char EDGE_COLOUR[] = "#7a869a";

static const char *line_colour(GraphLineKind kind, bool in_gradient) {
    if (kind == GRAPH_LINE_HEADING) return "#777777";
    if (kind == GRAPH_LINE_NUMBERS) return in_gradient ? "#b2182b" : "#2166ac";  // gradients red, values blue
    return NULL;
}

static void draw_box(Svg *svg, const GraphPicture *p, const GraphBox *box) {
    bool leaf = box->node == NULL;
    double left = box->x - box->width / 2;
    svg_frame(svg, left, box->y, box->width, box->height, leaf ? 10 : 2, leaf ? "#fff6da" : "#ffffff",
              leaf ? "#c9a227" : "#44546a", leaf ? "leaf" : "node");
    char text[256];
    bool in_gradient = false;
    GraphLineKind kind;
    for (int line = 0; (kind = graph_box_line(box, p->values, line, text, sizeof text)) != GRAPH_LINE_NONE; line++) {
        if (kind == GRAPH_LINE_HEADING) in_gradient = text[0] == 'g';  // "gradient" follows "value"
        SvgTextStyle style = {.size = FONT, .anchor = SVG_ANCHOR_START, .monospace = true,
                              .bold = kind == GRAPH_LINE_NAME, .fill = line_colour(kind, in_gradient)};
        svg_text(svg, left + PADDING, box->y + PADDING / 2 + (line + 0.8) * LINE, &style, text);
    }
}

// The leftmost edge of the boxes in the rows strictly between two rows.
static double leftmost_between(const GraphPicture *p, int top_row, int bottom_row, double fallback) {
    double left = fallback;
    for (int i = 0; i < p->n_boxes; i++) {
        const GraphBox *b = &p->boxes[i];
        if (b->row > top_row && b->row < bottom_row && b->x - b->width / 2 < left) left = b->x - b->width / 2;
    }
    return left;
}

// An arrow from the bottom of its input to the top of the node, entering at the place
// of its input slot. An arrow that skips rows (a residual connection) goes round the
// boxes in between, on their left.
static void draw_edge(Svg *svg, const GraphPicture *p, const GraphEdge *e) {
    const GraphBox *from = &p->boxes[e->from], *to = &p->boxes[e->to];
    double sx = from->x, sy = from->y + from->height, tx = graph_edge_entry_x(p, e), ty = to->y;
    double lane = leftmost_between(p, from->row, to->row, sx) - 18;
    char d[256];
    if (lane < sx - 18 && lane < tx - 18)
        snprintf(d, sizeof d, "M %.1f,%.1f C %.1f,%.1f %.1f,%.1f %.1f,%.1f L %.1f,%.1f C %.1f,%.1f %.1f,%.1f %.1f,%.1f",
                 sx, sy, sx, sy + 24, lane, sy + 8, lane, sy + 36, lane, ty - 36, lane, ty - 8, tx, ty - 24, tx, ty);
    else
        snprintf(d, sizeof d, "M %.1f,%.1f C %.1f,%.1f %.1f,%.1f %.1f,%.1f", sx, sy, sx, (sy + ty) / 2, tx,
                 (sy + ty) / 2, tx, ty);
    svg_path(svg, d, EDGE_COLOUR, 1.3, ARROW, "edge");
}

static void draw_band(Svg *svg, const GraphPicture *p, const GraphBand *band) {
    svg_frame(svg, 16, band->top, p->width - 32, band->bottom - band->top, 8, "#eef3fa", "#c5d3e8", "band");
    SvgTextStyle style = {.size = 15, .anchor = SVG_ANCHOR_START, .bold = true, .fill = "#3b5b8c"};
    svg_text(svg, 26, band->top + 22, &style, band->name);
}

bool graph_write_svg(FILE *file, const GraphPicture *p, const char *title) {
    Svg svg;
    svg_begin(&svg, file, p->width, p->height, title);
    svg_arrow_marker(&svg, ARROW, EDGE_COLOUR);
    SvgTextStyle heading = {.size = 18, .anchor = SVG_ANCHOR_START, .bold = true};
    svg_text(&svg, 26, 32, &heading, title);
    for (int i = 0; i < p->n_bands; i++) draw_band(&svg, p, &p->bands[i]);
    for (int i = 0; i < p->n_edges; i++) draw_edge(&svg, p, &p->edges[i]);
    for (int i = 0; i < p->n_boxes; i++) draw_box(&svg, p, &p->boxes[i]);
    return svg_end(&svg);
}

// "<- node 6, blocks.0.attn.c_attn.weight": what a node reads, in input order.
static void print_inputs(FILE *file, const GraphPicture *p, int to) {
    fprintf(file, "  <-");
    for (int e = 0; e < p->n_edges; e++) {
        const GraphEdge *edge = &p->edges[e];
        if (edge->to != to) continue;
        if (edge->from < p->n_nodes)
            fprintf(file, " node %d", edge->from);
        else
            fprintf(file, " %s", p->boxes[edge->from].tensor->name);
    }
    fprintf(file, "\n");
}

static void print_box(FILE *file, const GraphPicture *p, int i) {
    const GraphBox *box = &p->boxes[i];
    char text[256], op[128];
    graph_box_line(box, false, 0, text, sizeof text);
    graph_box_line(box, false, 1, op, sizeof op);
    if (box->node != NULL)
        fprintf(file, "node %d  %s  %s", i, text, op);
    else
        fprintf(file, "%s  %s\n", text, op);
    if (box->node != NULL) print_inputs(file, p, i);
    GraphLineKind kind;
    for (int line = 2; (kind = graph_box_line(box, p->values, line, text, sizeof text)) != GRAPH_LINE_NONE; line++)
        fprintf(file, "%s%s\n", kind == GRAPH_LINE_HEADING ? "    " : "      ", text);
}

static int first_reader(const GraphPicture *p, int leaf) {
    int first = p->n_nodes;
    for (int e = 0; e < p->n_edges; e++)
        if (p->edges[e].from == leaf && p->edges[e].to < first) first = p->edges[e].to;
    return first;
}

void graph_write_text(FILE *file, const GraphPicture *p) {
    int band = -1;
    for (int i = 0; i < p->n_nodes; i++) {
        const GraphBox *box = &p->boxes[i];
        if (box->band != band) {
            band = box->band;
            fprintf(file, "--- %s ---\n", band >= 0 ? p->bands[band].name : "outside the blocks");
        }
        for (int e = 0; e < p->n_edges; e++)  // the leaves it reads, the first time they are read
            if (p->edges[e].to == i && p->edges[e].from >= p->n_nodes && first_reader(p, p->edges[e].from) == i)
                print_box(file, p, p->edges[e].from);
        print_box(file, p, i);
    }
}
