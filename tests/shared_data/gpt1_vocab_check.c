// GPT-1's tokenizer on its real vocabulary, which is not part of the repository: the
// known ids of sentences, and the round trip encode(decode(ids)) == ids on every line
// of the shared data sets. `make gpt1-vocab-check` runs it with ../shared/data; it
// fails (exit 1) when the vocabulary or a data file is missing, so it cannot pass by
// checking nothing.
//
//   build/checks/gpt1_vocab_check VOCAB_DIR [TEXT_FILE...]
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/io/text_file.h"
#include "gpt/tokenizer/gpt1_vocab.h"

// The ids were worked out from the merges (vocab_40000.bpe) by replaying them on each
// word, and agree with the release's own bpe() (tests/reference/gpt1_tokenizer.py).
static const struct {
    const char *text;
    int ids[24];
} KNOWN[] = {
    // the</w> president</w> is</w>
    {"the president is", {481, 4735, 544, -1}},
    // do</w> n't</w> you</w> know</w> mr.</w> smith</w> ?</w>
    {"Don't you know Mr. Smith?", {587, 538, 512, 699, 1682, 4920, 257, -1}},
    // i</w> 'm</w> gon</w> na</w> win</w> ,</w> "</w> he</w> said</w> .</w>  (curly quotes become ")
    {"I'm gonna win,\u201d he said.", {249, 719, 2113, 1599, 3285, 240, 244, 487, 603, 239, -1}},
    // u.s.</w> officials</w> ...</w> well</w> -</w> known</w>
    {"U.S. officials\u2026 well-known", {9901, 13188, 749, 862, 260, 1816, -1}},
    // one</w> \n</w> two</w>: blank lines are one newline token, 40477
    {"one\n\n two", {566, 40477, 867, -1}},
    // photo syn thesis</w> ,</w> quasi</w> -</w> magically</w> !</w>: a word of three tokens
    {"Photosynthesis, quasi-magically!", {3529, 7167, 16138, 240, 36524, 260, 16186, 267, -1}},
    // ç a</w> co û te</w> 3. 50</w> $</w> <unk>: a character the vocabulary lacks is id 0
    {"\u00e7a co\u00fbte 3.50$ \u65e5", {77, 246, 588, 152, 836, 19243, 8393, 289, 0, -1}},
};

static bool check_known(const Gpt1Vocab *vocab) {
    bool ok = true;
    for (size_t k = 0; k < sizeof KNOWN / sizeof *KNOWN; k++) {
        long n;
        int *ids = gpt1_encode(vocab, KNOWN[k].text, strlen(KNOWN[k].text), &n);
        long expected = 0;
        while (KNOWN[k].ids[expected] >= 0) expected++;
        bool same = ids != NULL && n == expected && memcmp(ids, KNOWN[k].ids, sizeof(int) * (size_t)n) == 0;
        if (!same) {
            printf("known ids: FAILED for \"%s\":", KNOWN[k].text);
            for (long i = 0; ids != NULL && i < n; i++) printf(" %d", ids[i]);
            printf("\n");
        }
        ok = ok && same;
        free(ids);
    }
    printf("known ids: %s (%zu sentences)\n", ok ? "ok" : "FAILED", sizeof KNOWN / sizeof *KNOWN);
    return ok;
}

static bool has_unknown(const int *ids, long n) {
    for (long i = 0; i < n; i++)
        if (ids[i] == 0) return true;
    return false;
}

// Every line of the file: decode(encode(line)) encodes to the same ids. A line with a
// symbol the vocabulary lacks (id 0, <unk>) cannot come back and is only counted.
static bool round_trip_file(const Gpt1Vocab *vocab, const char *path) {
    char error[512];
    size_t len;
    char *text = read_text_file(path, &len, error, sizeof error);
    if (text == NULL) {
        printf("round trip: %s\n", error);
        return false;
    }
    long lines = 0, failures = 0, unknown = 0;
    for (char *line = text, *end; line < text + len; line = end + 1) {
        end = memchr(line, '\n', (size_t)(text + len - line));
        if (end == NULL) end = text + len;
        long n, m;
        int *ids = gpt1_encode(vocab, line, (size_t)(end - line), &n);
        size_t decoded_len;
        char *decoded = gpt1_decode(vocab, ids, n, &decoded_len);
        int *again = gpt1_encode(vocab, decoded, decoded_len, &m);
        bool lossy = has_unknown(ids, n);
        unknown += lossy;
        bool same = lossy || (m == n && memcmp(ids, again, sizeof(int) * (size_t)n) == 0);
        if (!same && failures++ < 3) printf("  %s:%ld: \"%.*s\" decodes to \"%s\"\n", path, lines + 1, (int)(end - line), line, decoded);
        lines++;
        free(ids), free(decoded), free(again);
    }
    printf("round trip: %s: %ld lines, %ld differ (%ld with <unk> not compared)\n", path, lines, failures, unknown);
    free(text);
    return failures == 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: gpt1_vocab_check VOCAB_DIR [TEXT_FILE...]\n");
        return 2;
    }
    char error[512];
    Gpt1Vocab *vocab = gpt1_vocab_load(argv[1], error, sizeof error);
    if (vocab == NULL) {
        printf("gpt1 vocabulary: %s\n", error);
        return 1;
    }
    bool ok = check_known(vocab);
    for (int i = 2; i < argc; i++) ok = round_trip_file(vocab, argv[i]) && ok;
    gpt1_vocab_free(vocab);
    printf("gpt1 vocabulary check: %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
