// gpt encode: the token ids of a text, so that students can look at tokens.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/cli/commands.h"

// --ckpt's tokenizer, or --tokenizer's: exactly one of them.
void tokenizer_for_command_or_exit(const Command *command, const char *ckpt, const char *spec, Tokenizer *tokenizer) {
    if ((ckpt == NULL) == (spec == NULL)) usage_error(command, "give --tokenizer or --ckpt (one of them)");
    if (spec != NULL) {
        tokenizer_from_spec_or_exit(command, spec, NULL, 0, tokenizer);
        return;
    }
    gpt_free(load_checkpoint_or_exit(command, ckpt, tokenizer, NULL));
}

int encode_command(int argc, char **argv) {
    const char *spec = NULL, *ckpt = NULL, *text = NULL, *file = NULL;
    bool show_tokens = false;
    Option options[] = {
        {"tokenizer", OPTION_STRING, &spec, "bytes, chars:FILE, bpe:VOCAB or gpt1:DIR", 0},
        {"ckpt", OPTION_STRING, &ckpt, "use this checkpoint's tokenizer instead", 0},
        {"text", OPTION_STRING, &text, "the text to encode", 0},
        {"file", OPTION_STRING, &file, "encode this file instead", 0},
        {"tokens", OPTION_FLAG, &show_tokens, "print one token a line: its id and its text", 0},
        {NULL, OPTION_FLAG, NULL, NULL, 0},
    };
    Command command = {"encode",
                       "Prints the token ids of a text on one line, separated by single spaces.\n"
                       "gpt encode --tokenizer gpt1:DIR --text \"the president is\" prints 481 4735 544.",
                       "encode (--tokenizer T | --ckpt CKPT) (--text TEXT | --file FILE) [--tokens]", options};
    parse_options(&command, argc, argv);
    if ((text == NULL) == (file == NULL)) usage_error(&command, "give --text or --file (one of them)");
    Tokenizer tokenizer;
    tokenizer_for_command_or_exit(&command, ckpt, spec, &tokenizer);
    size_t len = text ? strlen(text) : 0;
    char *loaded = file ? load_text_or_exit(&command, file, &len) : NULL;
    TokenSequence tokens = encode_or_exit(&command, &tokenizer, loaded ? loaded : text, len, file ? file : "--text");
    for (long i = 0; i < tokens.n; i++) {
        if (show_tokens) {
            char label[512];
            tokenizer_token_label(&tokenizer, tokens.ids[i], label, sizeof label);
            printf("%d\t%s\n", tokens.ids[i], label);
        } else {
            printf(i + 1 < tokens.n ? "%d " : "%d", tokens.ids[i]);
        }
    }
    if (!show_tokens) printf("\n");
    free(tokens.ids);
    free(loaded);
    tokenizer_free(&tokenizer);
    return 0;
}
