#include "gpt/cli/attention_watch.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/cli/commands.h"
#include "gpt/io/replace_file.h"
#include "gpt/pictures/attention_scores.h"

// The pictures a run takes: at its first step (when new), every `every` steps, at the end.
// More than FILM_MAX_PANELS counts as FILM_MAX_PANELS + 1 (no overflow for any --steps).
static long frames_of_run(long first, long steps, long every) {
    long between = steps / every - first / every;
    if (between > FILM_MAX_PANELS) return FILM_MAX_PANELS + 1;
    return (first == 0) + between + (steps > first && steps % every != 0);
}

static bool draw_attention_frame(Gpt *model, long step, void *context, char *error, size_t error_len) {
    AttentionWatch *watch = context;
    attention_film_add(&watch->film, model, step);
    FILE *file = replace_file_open(watch->out);
    char title[96];
    snprintf(title, sizeof title, "Attention over training, steps %ld to %ld", watch->film.steps[0], step);
    if (file == NULL || !replace_file_commit(file, watch->out, attention_film_write_svg(file, &watch->film, title))) {
        snprintf(error, error_len, "%s: the attention pictures could not be written: %s", watch->out, strerror(errno));
        return false;
    }
    return true;
}

static TokenSequence watch_tokens(const Command *command, const AttentionWatchArgs *args, const Tokenizer *tokenizer,
                                  int n_ctx) {
    if (args->text == NULL || args->text[0] == '\0')
        usage_error(command, "--attention-every needs --attention-text, the text the model reads in the pictures");
    TokenSequence tokens = encode_or_exit(command, tokenizer, args->text, strlen(args->text), "--attention-text");
    long most = n_ctx < FILM_MAX_TOKENS ? n_ctx : FILM_MAX_TOKENS;
    if (tokens.n < 2 || tokens.n > most)
        usage_error(command, "--attention-text must have 2 to %ld tokens (n_ctx %d, and at most %d to draw), got %ld",
                    most, n_ctx, FILM_MAX_TOKENS, tokens.n);
    return tokens;
}

void attention_watch_start(AttentionWatch *watch, const Command *command, const AttentionWatchArgs *args,
                           Gpt *model, const Tokenizer *tokenizer, long first, PretrainOptions *options) {
    *watch = (AttentionWatch){.out = args->out};
    if (args->every < 0) usage_error(command, "--attention-every must not be negative (0: no pictures)");
    if (args->every == 0) {
        if (args->text != NULL) usage_error(command, "--attention-text needs --attention-every N, N > 0");
        return;
    }
    TokenSequence tokens = watch_tokens(command, args, tokenizer, model->config.n_ctx);
    long heads = (long)model->config.n_layers * model->config.n_heads;
    long frames = frames_of_run(first, options->steps, args->every);
    if (heads > FILM_MAX_HEADS || heads * frames > FILM_MAX_PANELS)
        usage_error(command, "--attention-every %ld draws %s%ld pictures of %ld heads; at most %d heads and %d "
                    "pictures in all: use a larger --attention-every", args->every,
                    frames > FILM_MAX_PANELS ? "more than " : "", frames > FILM_MAX_PANELS ? FILM_MAX_PANELS : frames,
                    heads, FILM_MAX_HEADS, FILM_MAX_PANELS);
    check_output_or_exit(command, args->out);
    if (!attention_film_create(&watch->film, model, tokenizer, tokens.ids, (int)tokens.n, (int)(frames > 0 ? frames : 1)))
        runtime_error("out of memory for %ld attention pictures", frames);
    free(tokens.ids);
    options->watch = draw_attention_frame;
    options->watch_context = watch;
    options->watch_every = args->every;
}

void attention_watch_finish(AttentionWatch *watch) {
    AttentionFilm *film = &watch->film;
    if (film->n_frames > 0) {
        int last = film->n_frames - 1, heads = film->n_layers * film->n_heads, best = 0;
        HeadScores best_scores = {0};
        for (int h = 0; h < heads; h++) {
            size_t at = ((size_t)last * heads + h) * (size_t)film->n * (size_t)film->n;
            HeadScores s = head_scores(film->weights + at, film->ids, film->n);
            if (h == 0 || s.kl_from_uniform > best_scores.kl_from_uniform) best = h, best_scores = s;
        }
        fprintf(stderr, "%s: %d pictures of %d heads; at step %ld the head farthest from uniform is layer %d, "
                "head %d: %.3f nats (at most %.3f), previous token %.3f, induction %.3f\n", watch->out,
                film->n_frames, heads, film->steps[last], best / film->n_heads, best % film->n_heads,
                best_scores.kl_from_uniform, best_scores.kl_most, best_scores.previous_token, best_scores.induction);
    }
    attention_film_free(film);
}
