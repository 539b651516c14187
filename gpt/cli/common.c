#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/cli/commands.h"

char *load_text_or_exit(const Command *command, const char *path, size_t *len) {
    if (path == NULL) {
        char *text = malloc(embedded_corpus_size + 1);
        memcpy(text, embedded_corpus, embedded_corpus_size);
        text[embedded_corpus_size] = '\0';
        *len = embedded_corpus_size;
        return text;
    }
    char error[512];
    char *text = read_text_file(path, len, error, sizeof error);
    if (text == NULL) usage_error(command, "%s", error);
    if (*len == 0) {
        free(text);
        usage_error(command, "%s: the file is empty", path);
    }
    return text;
}

Gpt *load_checkpoint_or_exit(const Command *command, const char *path, Tokenizer *tokenizer, TrainingState *state) {
    if (path == NULL) usage_error(command, "--ckpt is required");
    char error[512];
    Gpt *model = checkpoint_load(path, tokenizer, state, error, sizeof error);
    if (model == NULL) usage_error(command, "%s", error);
    return model;
}

TokenSequence encode_or_exit(const Command *command, const Tokenizer *tokenizer, const char *text, size_t len,
                             const char *source) {
    char error[256];
    TokenSequence tokens = {0};
    tokens.ids = tokenizer_encode(tokenizer, text, len, &tokens.n, error, sizeof error);
    if (tokens.ids == NULL) usage_error(command, "%s: %s", source, error);
    return tokens;
}

void print_tokens(const Tokenizer *tokenizer, const int *ids, long n) {
    size_t len;
    char *text = tokenizer_decode(tokenizer, ids, n, &len);
    fwrite(text, 1, len, stdout);
    fflush(stdout);
    free(text);
}
