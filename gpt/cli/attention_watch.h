// gpt pretrain --attention-every N --attention-text TEXT --attention-out FILE: the heads
// of the model reading TEXT, drawn every N steps into one SVG (gpt/pictures/attention_film.h)
// through the watch hook of gpt/pretrain.h, so that gpt/pretrain.c needs no pictures.
#ifndef GPT1_CLI_ATTENTION_WATCH_H
#define GPT1_CLI_ATTENTION_WATCH_H

#include "gpt/cli/options.h"
#include "gpt/model.h"
#include "gpt/pictures/attention_film.h"
#include "gpt/pretrain.h"

typedef struct AttentionWatch {
    AttentionFilm film;
    const char *out;
} AttentionWatch;

typedef struct AttentionWatchArgs {
    long every;        // 0: no pictures
    const char *text;  // what the model reads in every picture
    const char *out;   // the SVG file
} AttentionWatchArgs;

// Checks the flags against the model and the run (from step `first` to `steps`) and,
// when every > 0, hooks the watch into options. Exits with a usage error on bad input.
void attention_watch_start(AttentionWatch *watch, const Command *command, const AttentionWatchArgs *args,
                           Gpt *model, const Tokenizer *tokenizer, long first, PretrainOptions *options);
// After the run: the picture's name and the head that ended farthest from uniform, on stderr.
void attention_watch_finish(AttentionWatch *watch);

#endif
