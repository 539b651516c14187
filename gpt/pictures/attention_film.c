#include "gpt/pictures/attention_film.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/pictures/attention_scores.h"
#include "gpt/pictures/heatmap.h"
#include "gpt/pictures/svg.h"

static const double PANEL = 168;        // the side of a heatmap, at most
static const double ROW_TITLE = 96, GAP_X = 36, GAP_Y = 44;
static const double TITLE_FONT = 20, FONT = 13, SMALL_FONT = 11;

bool attention_film_create(AttentionFilm *film, const Gpt *model, const Tokenizer *tokenizer, const int *ids, int n,
                           int max_frames) {
    *film = (AttentionFilm){.n = n, .n_layers = model->config.n_layers, .n_heads = model->config.n_heads,
                            .max_frames = max_frames};
    size_t per_frame = (size_t)film->n_layers * (size_t)film->n_heads * (size_t)n * (size_t)n;
    film->ids = malloc(sizeof(int) * (size_t)n);
    film->labels = calloc((size_t)n, sizeof(char *));
    film->steps = malloc(sizeof(long) * (size_t)max_frames);
    film->weights = malloc(sizeof(float) * per_frame * (size_t)max_frames);
    bool ok = film->ids != NULL && film->labels != NULL && film->steps != NULL && film->weights != NULL;
    for (int i = 0; ok && i < n; i++) {
        film->ids[i] = ids[i];
        ok = (film->labels[i] = malloc(64)) != NULL;
        if (ok) heatmap_token_label(tokenizer, ids[i], film->labels[i], 64);
    }
    if (!ok) attention_film_free(film);
    return ok;
}

static size_t frame_size(const AttentionFilm *film) {
    return (size_t)film->n_layers * (size_t)film->n_heads * (size_t)film->n * (size_t)film->n;
}

// The weights [n, n] of one head in one frame.
static const float *head_weights(const AttentionFilm *film, int frame, int head_index) {
    return film->weights + (size_t)frame * frame_size(film) + (size_t)head_index * (size_t)film->n * (size_t)film->n;
}

bool attention_film_add(AttentionFilm *film, Gpt *model, long step) {
    if (film->n_frames == film->max_frames) return false;
    attention_weights_all(model, film->ids, film->n, film->weights + (size_t)film->n_frames * frame_size(film));
    film->steps[film->n_frames++] = step;
    return true;
}

void attention_film_free(AttentionFilm *film) {
    for (int i = 0; film->labels != NULL && i < film->n; i++) free(film->labels[i]);
    free(film->labels);
    free(film->ids);
    free(film->steps);
    free(film->weights);
    *film = (AttentionFilm){0};
}

static double cell_size(const AttentionFilm *film) { return floor(PANEL / film->n); }

// One heatmap: the masked triangle as a grey background, the weights on top of it.
static void draw_head_heatmap(Svg *svg, const AttentionFilm *film, const float *w, double x, double y) {
    double cell = cell_size(film);
    svg_rect(svg, x, y, film->n * cell, film->n * cell, "#e4e4e4", "panel");
    for (int i = 0; i < film->n; i++)
        for (int j = 0; j <= i; j++) {
            char fill[8];
            svg_rect(svg, x + j * cell, y + i * cell, cell, cell, heatmap_colour(w[(long)i * film->n + j], fill),
                     "cell");
        }
}

// "1.52 nats · prev .98 · ind .03" under a heatmap.
static void draw_caption(Svg *svg, const AttentionFilm *film, const float *w, double x, double y) {
    HeadScores s = head_scores(w, film->ids, film->n);
    char text[96], induction[16] = "-";
    if (!isnan(s.induction)) snprintf(induction, sizeof induction, "%.2f", s.induction);
    snprintf(text, sizeof text, "%.2f nats \xc2\xb7 prev %.2f \xc2\xb7 ind %s", s.kl_from_uniform, s.previous_token,
             induction);
    SvgTextStyle style = {.size = SMALL_FONT, .anchor = SVG_ANCHOR_START, .fill = "#444444"};
    svg_text(svg, x, y + 14, &style, text);
}

// The width that the longest token label takes beside a heatmap.
static double label_width(const AttentionFilm *film) {
    int longest = 1;
    for (int i = 0; i < film->n; i++)
        if (svg_text_length(film->labels[i]) > longest) longest = svg_text_length(film->labels[i]);
    return cell_size(film) < 7 ? 0 : longest * fmin(cell_size(film) * 0.8, FONT) * 0.62 + 8;
}

// The tokens beside a heatmap: the queries down its left, and above it the keys.
static void draw_token_labels(Svg *svg, const AttentionFilm *film, double x, double y, bool keys) {
    double cell = cell_size(film);
    if (cell < 7) return;  // too small to read
    SvgTextStyle row = {.size = fmin(cell * 0.8, FONT), .anchor = SVG_ANCHOR_END, .monospace = true};
    SvgTextStyle column = row;
    column.anchor = SVG_ANCHOR_START, column.rotate = -90;
    for (int i = 0; i < film->n; i++) {
        double middle = (i + 0.5) * cell + row.size * 0.35;
        svg_text(svg, x - 4, y + middle, &row, film->labels[i]);
        if (keys) svg_text(svg, x + middle, y - 4, &column, film->labels[i]);
    }
}

typedef struct FilmLayout {
    double left, top, panel, step_x, step_y;
} FilmLayout;

static FilmLayout film_layout(const AttentionFilm *film) {
    FilmLayout l;
    l.panel = film->n * cell_size(film);
    l.left = 16 + ROW_TITLE + label_width(film);
    l.top = 100 + label_width(film);
    l.step_x = l.panel + GAP_X;
    l.step_y = l.panel + GAP_Y;
    return l;
}

// A row per head, its heatmaps at every step from left to right.
static void draw_head_row(Svg *svg, const AttentionFilm *film, const FilmLayout *l, int head_index) {
    double y = l->top + head_index * l->step_y;
    char title[48];
    SvgTextStyle style = {.size = FONT + 1, .anchor = SVG_ANCHOR_START, .bold = true};
    snprintf(title, sizeof title, "layer %d", head_index / film->n_heads);
    svg_text(svg, 16, y + 16, &style, title);
    snprintf(title, sizeof title, "head %d", head_index % film->n_heads);
    svg_text(svg, 16, y + 34, &style, title);
    draw_token_labels(svg, film, l->left, y, head_index == 0);
    for (int frame = 0; frame < film->n_frames; frame++) {
        double x = l->left + frame * l->step_x;
        const float *w = head_weights(film, frame, head_index);
        draw_head_heatmap(svg, film, w, x, y);
        draw_caption(svg, film, w, x, y + l->panel);
    }
}

bool attention_film_write_svg(FILE *file, const AttentionFilm *film, const char *title) {
    FilmLayout l = film_layout(film);
    int heads = film->n_layers * film->n_heads;
    double width = fmax(l.left + film->n_frames * l.step_x + 16, 900), height = l.top + heads * l.step_y + 8;
    Svg svg;
    svg_begin(&svg, file, width, height, title);
    SvgTextStyle heading = {.size = TITLE_FONT, .anchor = SVG_ANCHOR_START, .bold = true};
    svg_text(&svg, 16, 30, &heading, title);
    SvgTextStyle note = {.size = FONT, .anchor = SVG_ANCHOR_START, .fill = "#555555"};
    svg_text(&svg, 16, 52, &note, "A row per head, a column per step. Row i of a heatmap is what token i attends to.");
    svg_text(&svg, 16, 70, &note, "Under each: distance from uniform (nats), weight on the previous token, weight on "
                                  "the token after the last earlier occurrence (induction).");
    SvgTextStyle column = {.size = FONT + 1, .anchor = SVG_ANCHOR_MIDDLE, .bold = true};
    for (int frame = 0; frame < film->n_frames; frame++) {
        char name[48];
        snprintf(name, sizeof name, "step %ld", film->steps[frame]);
        svg_text(&svg, l.left + frame * l.step_x + l.panel / 2, l.top - label_width(film) - 10, &column, name);
    }
    for (int h = 0; h < heads; h++) draw_head_row(&svg, film, &l, h);
    return svg_end(&svg);
}
