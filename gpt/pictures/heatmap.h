// Attention heatmaps: the softmax weights of one head of one layer on a text, as a
// picture with a row and a column per token. Row i is what token i (the query)
// attends to; column j is how much each later token takes from token j (the key).
// Every row sums to 1; cells j > i are exactly 0 because of the causal mask, and are
// drawn hatched so that "masked" and "attended to very little" look different.
#ifndef GPT1_HEATMAP_H
#define GPT1_HEATMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "gpt/tokenizer/tokenizer.h"

typedef struct Heatmap {
    const float *weights;   // [n, n], row-major: weights[i * n + j] is query i's weight on key j
    int n;
    char *const *labels;    // n token labels (UTF-8; escaped when written)
    const char *title;      // "Attention: layer 1, head 2"
    const char *subtitle;   // a line under the title, or NULL
    bool causal;            // cells with j > i are masked
} Heatmap;

// SVG: labelled rows and columns, a colour scale, hatched masked cells, the weight
// written in each cell when there is room, and a tooltip on each cell. The cells are
// <rect class="cell"> (class="cell masked" for the masked ones). False when the file
// could not be written.
bool heatmap_write_svg(FILE *file, const Heatmap *h);
// A binary greyscale PGM (no labels): darker is more attention, masked cells are a
// light checkerboard. For programs that read images but not SVG.
bool heatmap_write_pgm(FILE *file, const Heatmap *h);

// The colour of an attention weight in [0, 1]: pale yellow to dark blue (ColorBrewer
// YlGnBu), as "#rrggbb" in buf.
const char *heatmap_colour(double weight, char buf[8]);
// tokenizer_token_label with a space shown as ␣ (U+2423), so that it can be seen.
void heatmap_token_label(const Tokenizer *tokenizer, int id, char *buf, size_t len);

#endif
