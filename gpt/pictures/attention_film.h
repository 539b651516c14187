// Attention over training: every head of a model reading one fixed text, at several
// steps of a run, drawn as one SVG of small heatmaps (small multiples): a row per step,
// a column per head, and under each heatmap the head's distance from uniform and its
// previous-token and induction scores (attention_scores.h). Read down a column to watch
// one head form. `gpt pretrain --attention-every N` rewrites the picture at every
// snapshot, so a browser can follow the run.
#ifndef GPT1_ATTENTION_FILM_H
#define GPT1_ATTENTION_FILM_H

#include <stdbool.h>
#include <stdio.h>

#include "gpt/model.h"
#include "gpt/tokenizer/tokenizer.h"

// Bounds that keep the picture drawable (a browser opens it in a moment).
enum { FILM_MAX_TOKENS = 32, FILM_MAX_HEADS = 48, FILM_MAX_PANELS = 400 };

typedef struct AttentionFilm {
    int n, n_layers, n_heads;  // tokens; the model's blocks and heads per block
    int *ids;                  // the text's n tokens
    char **labels;             // their labels, as the heatmaps write them
    long *steps;               // the step of each frame
    float *weights;            // [frames, n_layers, n_heads, n, n]
    int n_frames, max_frames;
} AttentionFilm;

// Room for max_frames frames of the model's heads on ids[0..n). False (nothing to free)
// when out of memory. The bounds above are the caller's to check.
bool attention_film_create(AttentionFilm *film, const Gpt *model, const Tokenizer *tokenizer, const int *ids, int n,
                           int max_frames);
// A new frame: the weights of every head now. False when the film is full.
bool attention_film_add(AttentionFilm *film, Gpt *model, long step);
// The SVG of every frame so far; false when the file could not be written.
bool attention_film_write_svg(FILE *file, const AttentionFilm *film, const char *title);
void attention_film_free(AttentionFilm *film);

#endif
