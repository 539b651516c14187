#include "gpt/pictures/heatmap.h"

#include <math.h>
#include <string.h>

#include "gpt/pictures/svg.h"

enum { LABEL_CHARS = 10 };  // longer labels are cut, with an ellipsis
static const double TITLE_FONT = 24, AXIS_FONT = 17, SCALE_FONT = 15;
static const double AXIS_TITLE_LENGTH = 270;  // "query: the token attending" in AXIS_FONT, bold
static const char MASKED_PATTERN[] = "masked";
static const char ELLIPSIS[] = "\xe2\x80\xa6";    // …
static const char VISIBLE_SPACE[] = "\xe2\x90\xa3";  // ␣

// The sizes of the picture, from the number of tokens.
typedef struct Layout {
    double cell;        // side of one cell
    double label_font;  // token labels
    double left, top;   // the matrix's top-left corner
    double matrix;      // n · cell
    bool upright;       // column labels fit their column unrotated (one-character tokens)
    double label_extent;  // the column labels' height above the matrix
    double width, height;
} Layout;

static double clamped(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

// The label as drawn: at most LABEL_CHARS characters, cut on a character boundary.
static void short_label(const char *label, char *buf, size_t len) {
    if (svg_text_length(label) <= LABEL_CHARS) {
        snprintf(buf, len, "%s", label);
        return;
    }
    const unsigned char *s = (const unsigned char *)label;
    int chars = 0;
    size_t bytes = 0;
    while (s[bytes] && chars < LABEL_CHARS - 1) {
        bytes++;
        while ((s[bytes] & 0xC0) == 0x80) bytes++;
        chars++;
    }
    snprintf(buf, len, "%.*s%s", (int)bytes, label, ELLIPSIS);
}

static double scale_height(const Layout *l) { return clamped(l->matrix, 200.0, 360.0); }  // the colour bar

// Cells shrink as the text grows, but not below what a label needs to stay legible.
static Layout make_layout(const Heatmap *h) {
    Layout l;
    l.cell = clamped(720.0 / h->n, 14.0, 48.0);
    l.label_font = clamped(l.cell * 0.62, 10.0, 18.0);
    int longest = 1;
    for (int i = 0; i < h->n; i++) {
        char label[64];
        short_label(h->labels[i], label, sizeof label);
        longest = svg_text_length(label) > longest ? svg_text_length(label) : longest;
    }
    double label_width = longest * l.label_font * 0.65 + 12;
    l.upright = label_width - 12 <= l.cell * 0.9;
    l.matrix = h->n * l.cell;
    l.left = 48 + label_width;
    l.label_extent = l.upright ? l.label_font + 10 : label_width;
    l.top = 118 + l.label_extent;
    l.width = fmax(l.left + l.matrix + 200, 720);
    // room for the axis titles beside a small matrix, and for the colour scale and its masked swatch
    l.height = fmax(l.top + fmax(l.matrix, AXIS_TITLE_LENGTH) + 40, l.top + scale_height(&l) + 100);
    return l;
}

// A light-to-dark sequential colour map (ColorBrewer YlGnBu): more attention is more
// ink, and a projector's washed-out low end still orders the colours correctly.
static const unsigned char COLOUR_MAP[9][3] = {
    {255, 255, 217}, {237, 248, 177}, {199, 233, 180}, {127, 205, 187}, {65, 182, 196},
    {29, 145, 192},  {34, 94, 168},   {37, 52, 148},   {8, 29, 88},
};

const char *heatmap_colour(double w, char buf[8]) {
    double at = clamped(w, 0.0, 1.0) * 8.0;
    int k = at >= 8.0 ? 7 : (int)at;
    double f = at - k;
    double rgb[3];
    for (int c = 0; c < 3; c++) rgb[c] = ((1.0 - f) * COLOUR_MAP[k][c] + f * COLOUR_MAP[k + 1][c]) / 255.0;
    return svg_rgb(buf, rgb[0], rgb[1], rgb[2]);
}

static bool is_masked(const Heatmap *h, int i, int j) { return h->causal && j > i; }

// ".42" in a cell, or "1" for a whole row's worth; white on the dark colours.
static void draw_cell_value(Svg *svg, const Layout *l, double x, double y, double w) {
    char text[8];
    if (w >= 0.995)
        snprintf(text, sizeof text, "1");
    else
        snprintf(text, sizeof text, ".%02d", (int)lround(w * 100.0));
    SvgTextStyle style = {.size = l->cell * 0.32, .anchor = SVG_ANCHOR_MIDDLE, .fill = w > 0.45 ? "#ffffff" : "#333333"};
    svg_text(svg, x + l->cell / 2, y + l->cell / 2 + style.size * 0.35, &style, text);
}

static void draw_cells(Svg *svg, const Heatmap *h, const Layout *l) {
    bool numbers = l->cell >= 30.0;
    for (int i = 0; i < h->n; i++)
        for (int j = 0; j < h->n; j++) {
            double x = l->left + j * l->cell, y = l->top + i * l->cell, w = h->weights[(long)i * h->n + j];
            char fill[32], tooltip[192];
            if (is_masked(h, i, j)) {
                snprintf(fill, sizeof fill, "url(#%s)", MASKED_PATTERN);
                snprintf(tooltip, sizeof tooltip, "%s (%d) cannot see %s (%d): masked", h->labels[i], i,
                         h->labels[j], j);
            } else {
                heatmap_colour(w, fill);
                snprintf(tooltip, sizeof tooltip, "%s (%d) attends to %s (%d): %.4f", h->labels[i], i,
                         h->labels[j], j, w);
            }
            svg_cell(svg, x, y, l->cell, l->cell, fill, is_masked(h, i, j) ? "cell masked" : "cell", tooltip);
            if (numbers && !is_masked(h, i, j)) draw_cell_value(svg, l, x, y, w);
        }
}

// Row labels on the left (queries), column labels above, reading upwards (keys).
static void draw_labels(Svg *svg, const Heatmap *h, const Layout *l) {
    SvgTextStyle row = {.size = l->label_font, .anchor = SVG_ANCHOR_END};
    SvgTextStyle column = {.size = l->label_font, .anchor = l->upright ? SVG_ANCHOR_MIDDLE : SVG_ANCHOR_START,
                           .rotate = l->upright ? 0 : -90};
    for (int i = 0; i < h->n; i++) {
        char label[64];
        short_label(h->labels[i], label, sizeof label);
        double middle = (i + 0.5) * l->cell, baseline_shift = l->label_font * 0.35;
        svg_text(svg, l->left - 8, l->top + middle + baseline_shift, &row, label);
        if (l->upright)
            svg_text(svg, l->left + middle, l->top - 10, &column, label);
        else
            svg_text(svg, l->left + middle + baseline_shift, l->top - 8, &column, label);
    }
    // the axis titles: centred on the matrix, or from its corner when it is shorter than they are
    bool small = l->matrix < AXIS_TITLE_LENGTH;
    SvgTextStyle axis = {.size = AXIS_FONT, .anchor = small ? SVG_ANCHOR_START : SVG_ANCHOR_MIDDLE, .bold = true};
    svg_text(svg, small ? l->left : l->left + l->matrix / 2, l->top - l->label_extent - 16, &axis,
             "key: the token attended to");
    axis.rotate = -90;
    axis.anchor = small ? SVG_ANCHOR_END : SVG_ANCHOR_MIDDLE;  // rotated, "end" reads down from y
    svg_text(svg, 24, small ? l->top : l->top + l->matrix / 2, &axis, "query: the token attending");
}

// The colour bar, 0 at the bottom and 1 at the top, and the masked swatch under it.
static void draw_colour_scale(Svg *svg, const Heatmap *h, const Layout *l) {
    double x = l->left + l->matrix + 40, top = l->top, height = scale_height(l), width = 24;
    enum { STEPS = 64 };
    for (int k = 0; k < STEPS; k++) {
        char fill[8];
        double slice = height / STEPS;  // drawn slightly taller so that no seam shows between slices
        svg_rect(svg, x, top + height - (k + 1) * slice, width, slice + 0.6, heatmap_colour((k + 0.5) / STEPS, fill),
                 "scale");
    }
    SvgTextStyle style = {.size = SCALE_FONT, .anchor = SVG_ANCHOR_START};
    for (int t = 0; t <= 4; t++) {
        double y = top + height - t * height / 4;
        char label[8];
        snprintf(label, sizeof label, "%.2f", t / 4.0);
        svg_line(svg, x + width, y, x + width + 6, y, "#555555", 1.2);
        svg_text(svg, x + width + 10, y + SCALE_FONT * 0.35, &style, label);
    }
    svg_text(svg, x, top - 12, &style, "weight");
    if (!h->causal) return;
    double swatch = top + height + 24;
    char fill[32];
    snprintf(fill, sizeof fill, "url(#%s)", MASKED_PATTERN);
    svg_rect(svg, x, swatch, width, width, fill, "scale");
    svg_text(svg, x + width + 10, swatch + width / 2 + SCALE_FONT * 0.35, &style, "masked");
    svg_text(svg, x + width + 10, swatch + width / 2 + SCALE_FONT * 1.55, &style, "(a later token)");
}

static void draw_titles(Svg *svg, const Heatmap *h, const Layout *l) {
    SvgTextStyle title = {.size = TITLE_FONT, .anchor = SVG_ANCHOR_MIDDLE, .bold = true};
    svg_text(svg, l->width / 2, 34, &title, h->title);
    if (h->subtitle == NULL) return;
    SvgTextStyle subtitle = {.size = SCALE_FONT, .anchor = SVG_ANCHOR_MIDDLE, .fill = "#555555"};
    svg_text(svg, l->width / 2, 60, &subtitle, h->subtitle);
}

bool heatmap_write_svg(FILE *file, const Heatmap *h) {
    Layout l = make_layout(h);
    Svg svg;
    svg_begin(&svg, file, l.width, l.height, h->title);
    svg_hatch_pattern(&svg, MASKED_PATTERN, "#f2f2f2", "#c8c8c8");
    draw_titles(&svg, h, &l);
    draw_cells(&svg, h, &l);
    draw_labels(&svg, h, &l);
    draw_colour_scale(&svg, h, &l);
    return svg_end(&svg);
}

// Each cell is a square of pixels; 1 − weight as grey, so that attention is dark.
bool heatmap_write_pgm(FILE *file, const Heatmap *h) {
    int cell = h->n >= 512 ? 1 : 512 / h->n, side = cell * h->n;
    fprintf(file, "P5\n%d %d\n255\n", side, side);
    for (int py = 0; py < side; py++)
        for (int px = 0; px < side; px++) {
            int i = py / cell, j = px / cell;
            int grey = is_masked(h, i, j) ? ((px / 4 + py / 4) % 2 ? 200 : 240)
                                          : (int)lround(255.0 * (1.0 - clamped(h->weights[(long)i * h->n + j], 0, 1)));
            fputc(grey, file);
        }
    return fflush(file) == 0 && !ferror(file);
}

void heatmap_token_label(const Tokenizer *tokenizer, int id, char *buf, size_t len) {
    char raw[64];
    tokenizer_token_label(tokenizer, id, raw, sizeof raw);
    size_t used = 0;
    buf[0] = '\0';
    for (const char *s = raw; *s && used + 4 < len; s++) {
        if (*s == ' ') {
            memcpy(buf + used, VISIBLE_SPACE, 3);
            used += 3;
        } else {
            buf[used++] = *s;
        }
        buf[used] = '\0';
    }
}
