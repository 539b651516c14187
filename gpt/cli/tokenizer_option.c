// --tokenizer SPEC, shared by the commands that make or read tokens:
//   bytes         every byte a token
//   chars[:FILE]  the distinct bytes of FILE (pretrain: of its training text)
//   bpe:FILE      a vocabulary from gpt bpe-train
//   gpt1:DIR      GPT-1's released tokenizer (encoder_bpe_40000.json + vocab_40000.bpe,
//                 or vocab.json + merges.txt)
#include <stdlib.h>
#include <string.h>

#include "gpt/cli/commands.h"
#include "gpt/io/text_file.h"
#include "gpt/tokenizer/bpe.h"
#include "gpt/tokenizer/gpt1_vocab.h"

static void chars_from_file(const Command *command, const char *path, Tokenizer *tokenizer) {
    char error[512];
    size_t len;
    char *text = read_text_file(path, &len, error, sizeof error);
    if (text == NULL) usage_error(command, "%s", error);
    if (len == 0) usage_error(command, "%s: the file is empty: a chars tokenizer needs its text", path);
    tokenizer_init_chars(tokenizer, text, len);
    free(text);
}

void tokenizer_from_spec_or_exit(const Command *command, const char *spec, const char *text, size_t len,
                                 Tokenizer *tokenizer) {
    char error[512];
    if (strcmp(spec, "bytes") == 0) {
        tokenizer_init_bytes(tokenizer);
    } else if (strcmp(spec, "chars") == 0 && text != NULL) {
        tokenizer_init_chars(tokenizer, text, len);
    } else if (strncmp(spec, "chars:", 6) == 0) {
        chars_from_file(command, spec + 6, tokenizer);
    } else if (strncmp(spec, "bpe:", 4) == 0) {
        BpeError bpe_error;
        Bpe *bpe = bpe_load(spec + 4, &bpe_error);
        if (bpe == NULL) usage_error(command, "%s", bpe_error.message);
        tokenizer_init_bpe(tokenizer, bpe);
    } else if (strncmp(spec, "gpt1:", 5) == 0) {
        Gpt1Vocab *vocab = gpt1_vocab_load(spec + 5, error, sizeof error);
        if (vocab == NULL) usage_error(command, "%s", error);
        tokenizer_init_gpt1(tokenizer, vocab);
    } else {
        usage_error(command, "--tokenizer must be bytes, %s, bpe:VOCAB or gpt1:DIR, got '%s'",
                    text != NULL ? "chars" : "chars:FILE", spec);
    }
}
