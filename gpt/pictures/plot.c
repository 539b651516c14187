// Drawing the training curves of gpt/pictures/plot.h. Reading the logs is in plot_log.c.
#include "gpt/pictures/plot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/pictures/svg.h"

// The picture in pixels: a title, then two panels sharing the step axis. The fonts
// are large because the picture is meant to be projected in a classroom.
enum { WIDTH = 960, LEFT = 112, RIGHT = 36, TOP = 90, UPPER_HEIGHT = 360, GAP = 34, LOWER_HEIGHT = 150, BOTTOM = 84 };
enum { HEIGHT = TOP + UPPER_HEIGHT + GAP + LOWER_HEIGHT + BOTTOM, MAX_TICKS = 16 };
enum { MARKER_LIMIT = 40 };  // series with at most this many points also get a dot per point
static const double TICK_FONT = 15, AXIS_FONT = 17, TITLE_FONT = 24, LEGEND_FONT = 16;
// Values are clamped to this so that ranges and positions never overflow.
static const double LARGEST = 1e300;
#define GRID "#e3e3e3"
#define FRAME "#9a9a9a"

typedef struct Axis {
    double lo, hi;               // the range shown; log10 of the values on a log axis
    bool log;
    double pixel_lo, pixel_hi;   // where lo and hi land on the page
    double ticks[MAX_TICKS];     // in the same units as lo and hi
    int n_ticks;
    double spacing;              // between ticks
} Axis;

static double clamp(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

static double axis_position(const Axis *a, double value) {
    double v = a->log ? log10(value) : clamp(value, -LARGEST, LARGEST);
    double t = (v - a->lo) / (a->hi - a->lo);
    return a->pixel_lo + clamp(t, 0.0, 1.0) * (a->pixel_hi - a->pixel_lo);
}

// Ticks are in axis units already (log10 of the value on a log axis).
static double tick_position(const Axis *a, int i) {
    return a->pixel_lo + (a->ticks[i] - a->lo) / (a->hi - a->lo) * (a->pixel_hi - a->pixel_lo);
}

// 1, 2 or 5 times a power of ten, so that about `target` steps cover the range.
static double nice_spacing(double range, int target) {
    double raw = range / target;
    double power = pow(10.0, floor(log10(raw)));
    double f = raw / power;
    return (f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0) * power;
}

int plot_nice_ticks(double *lo, double *hi, double *ticks, int max) {
    if (!(*hi > *lo)) {  // one value: give it some room
        double pad = fabs(*lo) * 0.1;
        *lo -= pad, *hi += pad;
    }
    if (!(*hi - *lo > 1e-250)) *lo -= 1.0, *hi += 1.0;  // zero, or too close to it for powers of ten
    double spacing = nice_spacing(*hi - *lo, 5);
    double first = floor(*lo / spacing) * spacing;
    int n = 0;
    while (n < max) {
        ticks[n] = first + n * spacing;
        if (n++ > 0 && ticks[n - 1] >= *hi - spacing * 1e-9) break;
    }
    *lo = ticks[0], *hi = ticks[n - 1];
    return n;
}

void plot_format_tick(double value, double spacing, char *buf, size_t len) {
    spacing = fabs(spacing);
    if (fabs(value) < spacing * 1e-6) value = 0.0;  // not "-0" or "1e-17"
    if (fmax(fabs(value), spacing) >= 1e6 || (value != 0.0 && spacing < 1e-4)) {
        snprintf(buf, len, "%.3g", value);
        return;
    }
    int decimals = spacing >= 1.0 ? 0 : (int)ceil(-log10(spacing) - 1e-9);
    snprintf(buf, len, "%.*f", decimals, value);
}

// Powers of ten for a log axis: every decade, or every k-th when there are many.
static void log_ticks(Axis *a) {
    double first = floor(a->lo), last = ceil(a->hi);
    double stride = fmax(1.0, ceil((last - first) / 6.0));
    a->lo = first, a->n_ticks = 0;
    for (double e = first; a->n_ticks < MAX_TICKS; e += stride) {
        a->ticks[a->n_ticks++] = e;
        if (e >= last) break;
    }
    a->hi = a->ticks[a->n_ticks - 1];
    a->spacing = stride;
}

static void set_ticks(Axis *a, double lo, double hi) {
    a->lo = lo, a->hi = hi;
    if (a->log) {
        log_ticks(a);
        return;
    }
    a->n_ticks = plot_nice_ticks(&a->lo, &a->hi, a->ticks, MAX_TICKS);
    a->spacing = a->n_ticks > 1 ? a->ticks[1] - a->ticks[0] : 1.0;
}

// On a log axis, every label in one notation: 0.01 ... 1000, or 1e-05 ... 1e+12.
static void tick_label(const Axis *a, int i, char *buf, size_t len) {
    bool exponents = a->log && (a->lo < -3 || a->hi > 4);
    if (a->log)
        snprintf(buf, len, exponents ? "%.0e" : "%g", pow(10.0, a->ticks[i]));
    else
        plot_format_tick(a->ticks[i], a->spacing, buf, len);
}

// The range of a panel's finite values; false when it has none.
static bool value_range(const TrainingLog *log, int panel, double *lo, double *hi, bool *all_positive) {
    *lo = LARGEST, *hi = -LARGEST, *all_positive = true;
    bool any = false;
    for (int i = 0; i < log->n_series; i++) {
        const PlotSeries *s = &log->series[i];
        if (s->panel != panel) continue;
        for (long k = 0; k < s->n; k++) {
            if (!isfinite(s->value[k])) continue;
            double v = clamp(s->value[k], -LARGEST, LARGEST);
            *lo = fmin(*lo, v), *hi = fmax(*hi, v), any = true;
            *all_positive = *all_positive && v > 0.0;
        }
    }
    return any;
}

// A loss that spans more than three decades (a divergence, the first steps of a
// large model) is drawn on a log axis, where the rest of the curve stays readable.
// free_top: pixels at the top of the panel to keep clear of the curves (for the legend).
static bool make_y_axis(Axis *a, const TrainingLog *log, int panel, double top, double height, double free_top) {
    double lo, hi;
    bool positive;
    bool any = value_range(log, panel, &lo, &hi, &positive);
    if (!any) lo = 0.0, hi = 1.0;
    const PlotPanel *p = &log->panels[panel];
    if (p->from_zero) lo = fmin(lo, 0.0), hi = fmax(hi, 0.0);
    if (p->up_to_one) hi = fmax(hi, 1.0);
    *a = (Axis){.log = any && !p->from_zero && positive && hi / lo > 1e3,
                .pixel_lo = top + height, .pixel_hi = top};
    if (a->log) lo = log10(lo), hi = log10(hi);
    free_top = fmin(free_top, height * 0.6);
    if (hi > lo) hi = lo + (hi - lo) * height / (height - free_top);
    set_ticks(a, lo, hi);
    return any;
}

static void make_x_axis(Axis *a, const TrainingLog *log) {
    double lo = LARGEST, hi = -LARGEST;
    for (int i = 0; i < log->n_series; i++)
        for (long k = 0; k < log->series[i].n; k++)
            lo = fmin(lo, log->series[i].step[k]), hi = fmax(hi, log->series[i].step[k]);
    if (lo > hi) lo = 0.0, hi = 1.0;  // no value in any column: an empty frame
    *a = (Axis){.pixel_lo = LEFT, .pixel_hi = WIDTH - RIGHT};
    set_ticks(a, clamp(lo, -LARGEST, LARGEST), clamp(hi, -LARGEST, LARGEST));
}

// The plot area, its grid at the ticks of both axes and the y tick labels.
static void draw_frame(Svg *svg, const Axis *x, const Axis *y) {
    double top = y->pixel_hi, bottom = y->pixel_lo, left = x->pixel_lo, right = x->pixel_hi;
    svg_rect(svg, left, top, right - left, bottom - top, "#fcfcfc", "plot-area");
    SvgTextStyle style = {.size = TICK_FONT, .anchor = SVG_ANCHOR_END};
    for (int i = 0; i < y->n_ticks; i++) {
        double py = tick_position(y, i);
        svg_line(svg, left, py, right, py, GRID, 1.0);
        char label[32];
        tick_label(y, i, label, sizeof label);
        svg_text(svg, left - 8, py + TICK_FONT * 0.35, &style, label);
    }
    for (int i = 0; i < x->n_ticks; i++) {
        double px = tick_position(x, i);
        svg_line(svg, px, top, px, bottom, GRID, 1.0);
    }
    svg_line(svg, left, top, left, bottom, FRAME, 1.2);
    svg_line(svg, left, bottom, right, bottom, FRAME, 1.2);
}

static void draw_x_labels(Svg *svg, const Axis *x, double baseline) {
    SvgTextStyle style = {.size = TICK_FONT, .anchor = SVG_ANCHOR_MIDDLE};
    for (int i = 0; i < x->n_ticks; i++) {
        double px = tick_position(x, i);
        char label[32];
        tick_label(x, i, label, sizeof label);
        svg_text(svg, px, baseline, &style, label);
    }
}

static long count_non_finite(const PlotSeries *s) {
    long n = 0;
    for (long k = 0; k < s->n; k++) n += !isfinite(s->value[k]);
    return n;
}

// One polyline per run of finite values (NaN and inf break the line), and a dot per
// point when there are few: a validation loss measured ten times is ten dots.
static void draw_series(Svg *svg, const PlotSeries *s, const Axis *x, const Axis *y, double *px, double *py) {
    char class_name[64];
    snprintf(class_name, sizeof class_name, "series %s", s->column);
    bool dots = s->n - count_non_finite(s) <= MARKER_LIMIT;
    for (long k = 0; k < s->n;) {
        int run = 0;
        while (k < s->n && isfinite(s->value[k])) {
            px[run] = axis_position(x, s->step[k]);
            py[run] = axis_position(y, s->value[k]);
            run++, k++;
        }
        if (run > 0) svg_polyline(svg, px, py, run, s->colour, s->n > 200 ? 1.6 : 2.5, class_name);  // thin when dense
        for (int i = 0; i < run && (dots || run == 1); i++) svg_circle(svg, px[i], py[i], 4.0, s->colour, "marker");
        while (k < s->n && !isfinite(s->value[k])) k++;
    }
}

// The legend's text for a series: its name, and what was not drawn.
static void legend_label(const PlotSeries *s, char *buf, size_t len) {
    long bad = count_non_finite(s);
    if (s->n == 0)
        snprintf(buf, len, "%s (no values)", s->label);
    else if (bad > 0)
        snprintf(buf, len, "%s (%ld NaN/inf not drawn)", s->label, bad);
    else
        snprintf(buf, len, "%s", s->label);
}

typedef struct Box {
    double left, top, width, height;
} Box;

static bool inside(const Box *b, double x, double y) {
    return x >= b->left && x <= b->left + b->width && y >= b->top && y <= b->top + b->height;
}

// How much of the panel's curves a legend in this box would hide: samples along every
// segment, so that a long line crossing the box counts too.
static int hidden_samples(const TrainingLog *log, int panel, const Axis *x, const Axis *y, const Box *box) {
    enum { SAMPLES = 8 };
    int n = 0;
    for (int i = 0; i < log->n_series; i++) {
        const PlotSeries *s = &log->series[i];
        if (s->panel != panel) continue;
        for (long k = 0; k < s->n; k++) {
            if (!isfinite(s->value[k])) continue;
            double x0 = axis_position(x, s->step[k]), y0 = axis_position(y, s->value[k]);
            bool segment = k + 1 < s->n && isfinite(s->value[k + 1]);
            double x1 = segment ? axis_position(x, s->step[k + 1]) : x0, y1 = segment ? axis_position(y, s->value[k + 1]) : y0;
            for (int t = 0; t < SAMPLES; t++)
                n += inside(box, x0 + (x1 - x0) * t / SAMPLES, y0 + (y1 - y0) * t / SAMPLES);
        }
    }
    return n;
}

typedef struct Legend {
    char labels[PLOT_MAX_SERIES][96];
    int series[PLOT_MAX_SERIES];  // indices into log->series
    int n;
    Box box;
} Legend;

static double legend_row(void) { return LEGEND_FONT * 1.5; }

// The entries of a panel's legend and the size of its box.
static void make_legend(Legend *legend, const TrainingLog *log, int panel) {
    int widest = 0;
    legend->n = 0;
    for (int i = 0; i < log->n_series; i++) {
        if (log->series[i].panel != panel) continue;
        char *label = legend->labels[legend->n];
        legend_label(&log->series[i], label, sizeof legend->labels[0]);
        widest = svg_text_length(label) > widest ? svg_text_length(label) : widest;
        legend->series[legend->n++] = i;
    }
    legend->box = (Box){.width = widest * LEGEND_FONT * 0.62 + 60, .height = legend->n * legend_row() + 12};
}

// Puts the legend in the corner that hides the least of the curves (top right, where
// falling loss curves leave room, when several hide nothing); returns how much it hides.
static int place_legend(Legend *legend, const TrainingLog *log, int panel, const Axis *x, const Axis *y) {
    double width = legend->box.width, height = legend->box.height;
    int least = -1;
    for (int corner = 0; corner < 4; corner++) {
        Box b = {corner & 1 ? x->pixel_lo + 12 : x->pixel_hi - width - 12,
                 corner & 2 ? y->pixel_lo - height - 12 : y->pixel_hi + 12, width, height};
        int hidden = hidden_samples(log, panel, x, y, &b);
        if (least < 0 || hidden < least) legend->box = b, least = hidden;
    }
    return least;
}

static void draw_legend(Svg *svg, const Legend *legend, const TrainingLog *log) {
    const Box *box = &legend->box;
    svg_box(svg, box->left, box->top, box->width, box->height, "#bbbbbb", "legend");
    SvgTextStyle style = {.size = LEGEND_FONT, .anchor = SVG_ANCHOR_START};
    for (int k = 0; k < legend->n; k++) {
        double cy = box->top + 6 + legend_row() * (k + 0.5);
        svg_line(svg, box->left + 12, cy, box->left + 42, cy, log->series[legend->series[k]].colour, 3.5);
        svg_text(svg, box->left + 52, cy + LEGEND_FONT * 0.35, &style, legend->labels[k]);
    }
}

static int series_in_panel(const TrainingLog *log, int panel, bool *notes) {
    int n = 0;
    *notes = false;
    for (int i = 0; i < log->n_series; i++) {
        if (log->series[i].panel != panel) continue;
        n++;
        *notes = *notes || log->series[i].n == 0 || count_non_finite(&log->series[i]) > 0;
    }
    return n;
}

// A legend needs no space of its own when a corner of the panel is free of curves;
// otherwise the y axis is raised so that a band above the curves holds it.
static bool panel_legend(Legend *legend, Axis *y, const TrainingLog *log, int panel, const Axis *x, double top,
                         double height) {
    bool notes;
    if (series_in_panel(log, panel, &notes) < 2 && !notes) return false;
    make_legend(legend, log, panel);
    if (place_legend(legend, log, panel, x, y) > 0) {
        make_y_axis(y, log, panel, top, height, legend->box.height + 24);
        place_legend(legend, log, panel, x, y);
    }
    return true;
}

static void draw_panel(Svg *svg, const TrainingLog *log, int panel, const Axis *x, double top, double height,
                       double *px, double *py) {
    Axis y;
    bool any = make_y_axis(&y, log, panel, top, height, 0.0);
    Legend legend;
    bool has_legend = panel_legend(&legend, &y, log, panel, x, top, height);
    draw_frame(svg, x, &y);
    char title[96];
    snprintf(title, sizeof title, "%s%s", log->panels[panel].title, y.log ? " (log scale)" : "");
    SvgTextStyle axis_style = {.size = AXIS_FONT, .anchor = SVG_ANCHOR_MIDDLE, .rotate = -90};
    svg_text(svg, 30, top + height / 2, &axis_style, title);
    for (int i = 0; i < log->n_series; i++)
        if (log->series[i].panel == panel) draw_series(svg, &log->series[i], x, &y, px, py);
    if (!any) {
        SvgTextStyle note = {.size = LEGEND_FONT, .anchor = SVG_ANCHOR_MIDDLE, .fill = "#777777"};
        svg_text(svg, (x->pixel_lo + x->pixel_hi) / 2, top + height / 2, &note, "no values in this log");
    }
    if (has_legend) draw_legend(svg, &legend, log);
}

// Under the title: the last finite value of each upper-panel series ("where did it end?").
static void draw_summary(Svg *svg, const TrainingLog *log) {
    char line[256];
    int used = snprintf(line, sizeof line, "%ld rows; last values:", log->n_rows);
    for (int i = 0; i < log->n_series && used < (int)sizeof line; i++) {
        const PlotSeries *s = &log->series[i];
        long k = s->n - 1;
        while (k >= 0 && !isfinite(s->value[k])) k--;
        if (k >= 0) used += snprintf(line + used, sizeof line - (size_t)used, " %s %.4g%s", s->short_name, s->value[k],
                                     i + 1 < log->n_series ? "," : "");
    }
    if (line[strlen(line) - 1] == ',') line[strlen(line) - 1] = '\0';
    SvgTextStyle style = {.size = TICK_FONT, .anchor = SVG_ANCHOR_MIDDLE, .fill = "#555555"};
    svg_text(svg, WIDTH / 2.0, 62, &style, line);
}

bool plot_training_log(FILE *file, const TrainingLog *log, const char *title) {
    long most = 1;
    for (int i = 0; i < log->n_series; i++) most = log->series[i].n > most ? log->series[i].n : most;
    double *px = malloc(sizeof(double) * (size_t)most), *py = malloc(sizeof(double) * (size_t)most);
    bool ok = px != NULL && py != NULL;
    if (ok) {
        Svg svg;
        svg_begin(&svg, file, WIDTH, HEIGHT, title);
        SvgTextStyle title_style = {.size = TITLE_FONT, .anchor = SVG_ANCHOR_MIDDLE, .bold = true};
        svg_text(&svg, WIDTH / 2.0, 34, &title_style, title);
        draw_summary(&svg, log);
        Axis x;
        make_x_axis(&x, log);
        draw_panel(&svg, log, 0, &x, TOP, UPPER_HEIGHT, px, py);
        draw_panel(&svg, log, 1, &x, TOP + UPPER_HEIGHT + GAP, LOWER_HEIGHT, px, py);
        double bottom = TOP + UPPER_HEIGHT + GAP + LOWER_HEIGHT;
        draw_x_labels(&svg, &x, bottom + 24);
        SvgTextStyle axis_style = {.size = AXIS_FONT, .anchor = SVG_ANCHOR_MIDDLE};
        svg_text(&svg, (x.pixel_lo + x.pixel_hi) / 2, bottom + 60, &axis_style, log->x_title ? log->x_title : "step");
        ok = svg_end(&svg);
    }
    free(px);
    free(py);
    return ok;
}
