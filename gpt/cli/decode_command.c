// gpt decode: the text of token ids.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/cli/commands.h"

// "481 4735 544": every id a decimal number in [0, vocab); exits 2 on anything else.
static int *parse_ids(const Command *command, const char *text, int vocab, long *n) {
    size_t capacity = strlen(text) / 2 + 1;
    int *ids = malloc(sizeof *ids * capacity);
    if (ids == NULL) runtime_error("out of memory for --ids");
    *n = 0;
    for (const char *p = text; *p != '\0';) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == ',') {
            p++;
            continue;
        }
        char *end;
        errno = 0;
        long id = strtol(p, &end, 10);
        bool separated = *end == '\0' || *end == ' ' || *end == '\t' || *end == '\n' || *end == ',';
        if (end == p || !separated || errno != 0 || id < 0 || id >= vocab)
            usage_error(command, "--ids: '%.*s' is not a token id from 0 to %d", (int)strcspn(p, " \t\n,"), p,
                        vocab - 1);
        ids[(*n)++] = (int)id;
        p = end;
    }
    return ids;
}

int decode_command(int argc, char **argv) {
    const char *spec = NULL, *ckpt = NULL, *ids_text = NULL;
    Option options[] = {
        {"tokenizer", OPTION_STRING, &spec, "bytes, chars:FILE, bpe:VOCAB or gpt1:DIR", 0},
        {"ckpt", OPTION_STRING, &ckpt, "use this checkpoint's tokenizer instead", 0},
        {"ids", OPTION_STRING, &ids_text, "the token ids, separated by spaces (required)", 0},
        {NULL, OPTION_FLAG, NULL, NULL, 0},
    };
    Command command = {"decode", "Prints the text of token ids (the inverse of gpt encode).",
                       "decode (--tokenizer T | --ckpt CKPT) --ids \"I J K\"", options};
    parse_options(&command, argc, argv);
    if (ids_text == NULL) usage_error(&command, "--ids is required");
    Tokenizer tokenizer;
    tokenizer_for_command_or_exit(&command, ckpt, spec, &tokenizer);
    long n;
    int *ids = parse_ids(&command, ids_text, tokenizer_vocab_size(&tokenizer), &n);
    print_tokens(&tokenizer, ids, n);
    printf("\n");
    free(ids);
    tokenizer_free(&tokenizer);
    return 0;
}
