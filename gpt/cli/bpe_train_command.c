// gpt bpe-train: learns byte-pair-encoding merges from a text file.
#include <stdio.h>
#include <stdlib.h>

#include "gpt/tokenizer/bpe.h"
#include "gpt/cli/commands.h"
#include "gpt/io/clock.h"

int bpe_train_command(int argc, char **argv) {
    const char *data = NULL, *out = NULL;
    int merges = 8000;
    bool lowercase = false, quiet = false;
    Option options[] = {
        {"data", OPTION_STRING, &data, "text to learn from (required)", 0},
        {"merges", OPTION_INT, &merges, "merges to learn (fewer when no pair occurs twice any more)", 0},
        {"out", OPTION_STRING, &out, "vocabulary file to write (required)", 0},
        {"lowercase", OPTION_FLAG, &lowercase, "lower-case ASCII letters first, as GPT-1 did", 0},
        {"quiet", OPTION_FLAG, &quiet, "no progress line", 0},
        {NULL, OPTION_FLAG, NULL, NULL, 0},
    };
    Command command = {"bpe-train",
                       "Learns BPE merges: the most frequent adjacent pair of symbols becomes a new symbol,\n"
                       "again and again (ties: the smaller left id, then the smaller right id).",
                       "bpe-train --data FILE --out VOCAB [--merges N] [--lowercase] [--quiet]", options};
    parse_options(&command, argc, argv);
    if (data == NULL || out == NULL) usage_error(&command, "--data and --out are required");
    if (merges < 0 || merges > BPE_MAX_MERGES) usage_error(&command, "--merges must be in [0, %d]", BPE_MAX_MERGES);
    check_output_or_exit(&command, out);
    size_t len;
    char *text = load_text_or_exit(&command, data, &len);
    BpeOptions bpe_options = {.lowercase = lowercase, .progress = quiet ? NULL : bpe_progress_to_stderr};
    BpeError error;
    double start = seconds_now();
    Bpe *bpe = bpe_train(text, len, merges, &bpe_options, &error);
    free(text);
    if (bpe == NULL) runtime_error("%s", error.message);
    double seconds = seconds_now() - start;
    bool saved = bpe_save(bpe, out, &error);
    if (saved)
        fprintf(stderr, "learned %d merges in %.2f s: vocabulary of %d tokens in %s\n", bpe_merge_count(bpe), seconds,
                bpe_vocab_size(bpe), out);
    bpe_free(bpe);
    if (!saved) runtime_error("%s", error.message);
    return 0;
}
