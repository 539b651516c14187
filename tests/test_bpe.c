// gpt/bpe: the pre-tokenizer, training (known merges, ties, a slow reference trainer),
// the exact round trip on any bytes, lower-casing, the vocabulary file and its errors.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/tokenizer/bpe.h"
#include "tensor/rng.h"
#include "tests/helpers.h"

// A paragraph to train small vocabularies on (written for these tests).
static const char *PARAGRAPH =
    "The tokenizer reads the text, cuts it into words, and learns which pairs of symbols\n"
    "occur together most often. The most frequent pair becomes a new symbol, and the\n"
    "learning goes on: then the next pair, and the next. Words that occur often end up\n"
    "as single tokens; rare words are spelled with shorter pieces. Don't worry about\n"
    "punctuation -- commas, full stops... and \"quotes\" are pieces of their own.\n"
    "  Indented lines, tabs\tand  double  spaces survive, as do numbers like 1999 or 42.\n"
    "Caf\xC3\xA9 na\xC3\xAFve \xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x80\x94 it\xE2\x80\x99s UTF-8 too.\n";

static Bpe *train_paragraph(int n_merges, bool lowercase) {
    BpeOptions options = {.lowercase = lowercase};
    BpeError error;
    Bpe *bpe = bpe_train(PARAGRAPH, strlen(PARAGRAPH), n_merges, &options, &error);
    ck_assert_msg(bpe != NULL, "%s", error.message);
    return bpe;
}

// The merges as "left+right" display texts, one per line: easy to compare and to read.
static void merges_as_text(const Bpe *bpe, char *out, size_t capacity) {
    size_t n = 0;
    out[0] = '\0';
    for (int k = 0; k < bpe_merge_count(bpe) && n < capacity; k++) {
        int left, right;
        bpe_merge_pair(bpe, k, &left, &right);
        n += (size_t)snprintf(out + n, capacity - n, "%s+%s\n", bpe_token_text(bpe, left), bpe_token_text(bpe, right));
    }
}

// Splits text with bpe_pretoken_length and joins the pieces with '|'.
static void pretokens(const char *text, size_t len, char *out, size_t capacity) {
    size_t n = 0;
    out[0] = '\0';
    for (size_t at = 0, piece; at < len; at += piece) {
        piece = bpe_pretoken_length(text, len, at);
        ck_assert_uint_ge(piece, 1);
        ck_assert_uint_le(piece, BPE_MAX_PRETOKEN_BYTES);
        ck_assert_uint_le(at + piece, len);
        n += (size_t)snprintf(out + n, capacity - n, "%s%.*s", at ? "|" : "", (int)piece, text + at);
    }
}

// encode, check every id, decode, compare with `expected` (the text, or its lower-casing).
static void assert_round_trip(const Bpe *bpe, const char *text, size_t len, const char *expected, const char *what) {
    long n_ids = -1;
    int *ids = bpe_encode_alloc(bpe, text, len, &n_ids);
    ck_assert_ptr_nonnull(ids);
    ck_assert_int_eq(bpe_encode(bpe, text, len, NULL, 0), n_ids);
    for (long i = 0; i < n_ids; i++)
        ck_assert_msg(ids[i] >= 0 && ids[i] < bpe_vocab_size(bpe), "%s: id %d out of range", what, ids[i]);
    char *decoded = malloc(len + 1);
    ck_assert_ptr_nonnull(decoded);
    size_t decoded_len = bpe_decode(bpe, ids, n_ids, decoded, len + 1);
    ck_assert_msg(decoded_len == len, "%s: decoded %zu bytes, expected %zu", what, decoded_len, len);
    ck_assert_msg(memcmp(decoded, expected, len) == 0, "%s: the decoded text differs", what);
    free(decoded);
    free(ids);
}

// ---------------------------------------------------------------------------------
// Pre-tokenization

START_TEST(test_pretokenize_words_punctuation_whitespace) {
    static const struct { const char *text, *pieces; } cases[] = {
        {"Hello, world!", "Hello|,| world|!"},
        {"don't stop", "don|'t| stop"},
        {"John's rock'n'roll", "John|'s| rock|'n|'roll"},
        {"'tis so", "'|tis| so"},
        {"a  b", "a| | b"},
        {"a\n b", "a|\n| b"},
        {"x\n\ny", "x|\n\n|y"},
        {"1999 cats", "1999| cats"},
        {"abc123", "abc|123"},
        {"wait... what?!", "wait|...| what|?|!"},
        {"-- dash", "--| dash"},
        {"a ", "a| "},
        {" ", " "},
        {"\t \tx", "\t \t|x"},  // only a space joins what follows
        {"\t  x", "\t | x"},
        {"caf\xC3\xA9 na\xC3\xAFve", "caf\xC3\xA9| na\xC3\xAFve"},
        {"it\xE2\x80\x99s \xE2\x80\x9Cok\xE2\x80\x9D", "it|\xE2\x80\x99s| \xE2\x80\x9C|ok|\xE2\x80\x9D"},
        {"x\xFF\xFFy", "x|\xFF\xFF|y"},
        {"\x01\x01\x02", "\x01\x01|\x02"},
    };
    char out[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pretokens(cases[i].text, strlen(cases[i].text), out, sizeof out);
        ck_assert_msg(strcmp(out, cases[i].pieces) == 0, "'%s' -> '%s', expected '%s'", cases[i].text, out,
                      cases[i].pieces);
    }
}
END_TEST

// Runs longer than a pre-token may be are cut, at character boundaries.
START_TEST(test_pretokenize_long_runs) {
    char text[200], out[512];
    memset(text, 'a', 100);
    pretokens(text, 100, out, sizeof out);
    ck_assert_uint_eq(strcspn(out, "|"), 64);
    ck_assert_uint_eq(strlen(out), 101);  // 64 + '|' + 36
    for (int i = 0; i < 50; i++) memcpy(text + 2 * i, "\xC3\xA9", 2);  // é: 2 bytes, 100 in all
    ck_assert_uint_eq(bpe_pretoken_length(text, 100, 0), 64);
    text[0] = ' ';  // a space then 99 bytes of letters: the space joins the first piece
    memset(text + 1, 'b', 99);
    ck_assert_uint_eq(bpe_pretoken_length(text, 100, 0), 64);
    memset(text, ' ', 100);
    text[100] = 'x';
    ck_assert_uint_eq(bpe_pretoken_length(text, 101, 0), 64);
    ck_assert_uint_eq(bpe_pretoken_length(text, 101, 64), 35);  // the last space goes with x
    ck_assert_uint_eq(bpe_pretoken_length(text, 101, 99), 2);
}
END_TEST

// ---------------------------------------------------------------------------------
// Training

// Worked out by hand. Pre-tokens of "xy xy ab ab": "xy" once, " xy" once, " ab" twice.
// As symbols (y' is y</w>): [x y'], [' ' x y'], [' ' a b'] x2. Pair counts:
//   (x, y') 2   (' ', x) 1   (' ', a) 2   (a, b') 2
// Three pairs tie at 2; the smallest left id wins: ' ' (32) < a (97) < x (120):
//   merge 0: ' ' + a  -> " a" (512)     words: [x y'] [' ' x y'] [" a" b'] x2
//   now (x, y') 2 and (" a", b') 2 tie: left 120 < 512:
//   merge 1: x + y'   -> "xy</w>" (513)  words: [513] [' ' 513] [" a" b'] x2
//   merge 2: " a" + b' -> " ab</w>" (514); what is left occurs once: training stops.
// A rule "first seen in the text" would have merged x + y' first.
START_TEST(test_train_known_merges_tie_on_left_id) {
    Bpe *bpe = bpe_train("xy xy ab ab", 11, 10, NULL, NULL);
    ck_assert_ptr_nonnull(bpe);
    char merges[512];
    merges_as_text(bpe, merges, sizeof merges);
    ck_assert_str_eq(merges, " +a\nx+y</w>\n a+b</w>\n");
    ck_assert_int_eq(bpe_vocab_size(bpe), 515);
    int left, right;
    bpe_merge_pair(bpe, 2, &left, &right);
    ck_assert_int_eq(left, 512);
    ck_assert_int_eq(right, 256 + 'b');
    ck_assert_str_eq(bpe_token_text(bpe, 514), " ab</w>");
    bpe_free(bpe);
}
END_TEST

// By hand, with pairs seen once allowed. "aab aab ab b": [a a b'] [' ' a a b'] [' ' a b'] [' ' b'].
//   (a, a) 2   (a, b') 3   (' ', a) 2   (' ', b') 1          -> merge 0: a + b' (count 3)
//   [a 512] [' ' a 512] [' ' 512] [' ' b']: (a, 512) 2        -> merge 1: a + "ab</w>"
//   [513] [' ' 513] [' ' 512] [' ' b']: three pairs of count 1, all with left ' ':
//   the smallest right id goes first: b' (354) < 512 < 513.
START_TEST(test_train_known_merges_tie_on_right_id) {
    BpeOptions options = {.min_pair_count = 1};
    Bpe *bpe = bpe_train("aab aab ab b", 12, 10, &options, NULL);
    char merges[512];
    merges_as_text(bpe, merges, sizeof merges);
    ck_assert_str_eq(merges, "a+b</w>\na+ab</w>\n +b</w>\n +ab</w>\n +aab</w>\n");
    bpe_free(bpe);
    bpe = bpe_train("aab aab ab b", 12, 10, NULL, NULL);  // the default stops at count 2
    ck_assert_int_eq(bpe_merge_count(bpe), 2);
    bpe_free(bpe);
}
END_TEST

// A slow trainer that is obviously right: all pairs of all words counted again
// before every merge, the best taken by (count desc, left asc, right asc).
typedef struct RefWord {
    int symbols[BPE_MAX_PRETOKEN_BYTES];
    int length;
    long count;
} RefWord;

static int ref_collect_words(const char *text, size_t len, RefWord *words, int max_words) {
    int n = 0;
    for (size_t at = 0, piece; at < len; at += piece) {
        piece = bpe_pretoken_length(text, len, at);
        RefWord w = {.length = (int)piece, .count = 1};
        for (size_t i = 0; i < piece; i++) w.symbols[i] = (unsigned char)text[at + i];
        w.symbols[piece - 1] += BPE_BYTE_TOKENS;
        int found = 0;
        while (found < n && (words[found].length != w.length ||
                             memcmp(words[found].symbols, w.symbols, sizeof(int) * piece) != 0))
            found++;
        if (found < n) words[found].count++;
        else if (n < max_words) words[n++] = w;
    }
    return n;
}

// Left to right, an occurrence of (left, right) becomes `merged`; the next search
// starts after it, so "a a a" becomes "aa a".
static void ref_merge(RefWord *word, int left, int right, int merged) {
    for (int i = 0; i + 1 < word->length; i++) {
        if (word->symbols[i] != left || word->symbols[i + 1] != right) continue;
        word->symbols[i] = merged;
        memmove(word->symbols + i + 1, word->symbols + i + 2, sizeof(int) * (size_t)(word->length - i - 2));
        word->length--;
    }
}

// The best pair of all words, by full recount; false when none occurs min_count times.
static bool ref_best_pair(const RefWord *words, int n_words, long min_count, int *best_left, int *best_right) {
    long best = 0;
    for (int w = 0; w < n_words; w++)
        for (int i = 0; i + 1 < words[w].length; i++) {
            int left = words[w].symbols[i], right = words[w].symbols[i + 1];
            long count = 0;
            for (int v = 0; v < n_words; v++)
                for (int j = 0; j + 1 < words[v].length; j++)
                    if (words[v].symbols[j] == left && words[v].symbols[j + 1] == right) count += words[v].count;
            bool better = count > best || (count == best && (left < *best_left || (left == *best_left && right < *best_right)));
            if (better) best = count, *best_left = left, *best_right = right;
        }
    return best >= min_count;
}

static int ref_train(const char *text, size_t len, int n_merges, long min_count, int (*merges)[2]) {
    enum { MAX_WORDS = 512 };
    static RefWord words[MAX_WORDS];
    int n_words = ref_collect_words(text, len, words, MAX_WORDS);
    ck_assert_int_lt(n_words, MAX_WORDS);
    int k = 0;
    for (; k < n_merges; k++) {
        int left = 0, right = 0;
        if (!ref_best_pair(words, n_words, min_count, &left, &right)) break;
        for (int w = 0; w < n_words; w++)
            ref_merge(&words[w], left, right, BPE_BASE_TOKENS + k);
        merges[k][0] = left;
        merges[k][1] = right;
    }
    return k;
}

// Texts with few distinct symbols make runs like "aaaa" and many ties: the incremental
// counts must give exactly the merges of the full recount.
START_TEST(test_train_matches_full_recount) {
    static const char alphabet[] = "aab b";
    Rng rng;
    rng_seed(&rng, 11);
    char text[1500];
    static int expected[400][2];
    for (int trial = 0; trial < 4; trial++) {
        size_t len = trial == 0 ? strlen(PARAGRAPH) : sizeof text;
        if (trial == 0) memcpy(text, PARAGRAPH, len);
        for (size_t i = 0; trial > 0 && i < len; i++) text[i] = alphabet[rng_below(&rng, (int)sizeof alphabet - 1)];
        long min_count = trial % 2 ? 1 : 2;
        int n = ref_train(text, len, 400, min_count, expected);
        BpeOptions options = {.min_pair_count = (int)min_count};
        Bpe *bpe = bpe_train(text, len, 400, &options, NULL);
        ck_assert_int_eq(bpe_merge_count(bpe), n);
        for (int k = 0; k < n; k++) {
            int left, right;
            bpe_merge_pair(bpe, k, &left, &right);
            ck_assert_msg(left == expected[k][0] && right == expected[k][1],
                          "trial %d merge %d: got %d+%d, the full recount says %d+%d", trial, k, left, right,
                          expected[k][0], expected[k][1]);
        }
        bpe_free(bpe);
    }
}
END_TEST

START_TEST(test_train_is_deterministic) {
    Bpe *a = train_paragraph(150, false), *b = train_paragraph(150, false);
    size_t size_a, size_b;
    char *text_a = bpe_serialize(a, &size_a), *text_b = bpe_serialize(b, &size_b);
    ck_assert_uint_eq(size_a, size_b);
    ck_assert_int_eq(memcmp(text_a, text_b, size_a), 0);
    ck_assert_int_gt(bpe_merge_count(a), 50);
    free(text_a);
    free(text_b);
    bpe_free(a);
    bpe_free(b);
}
END_TEST

static void count_reports(const BpeProgress *progress, void *user) {
    int *reports = user;
    ck_assert_int_le(progress->merges_done, progress->merges_wanted);
    ck_assert_ptr_nonnull(progress->token_text);
    reports[progress->finished ? 1 : 0]++;
}

START_TEST(test_train_progress_and_edge_cases) {
    int reports[2] = {0, 0};
    BpeOptions options = {.progress = count_reports, .progress_user = reports, .progress_every = 10};
    Bpe *bpe = bpe_train(PARAGRAPH, strlen(PARAGRAPH), 45, &options, NULL);
    ck_assert_int_eq(reports[0], 4);  // after 10, 20, 30, 40 merges
    ck_assert_int_eq(reports[1], 1);
    bpe_free(bpe);
    bpe = bpe_train("", 0, 100, NULL, NULL);  // nothing to learn: only the base tokens
    ck_assert_int_eq(bpe_vocab_size(bpe), BPE_BASE_TOKENS);
    assert_round_trip(bpe, "any \xFF text", 10, "any \xFF text", "untrained");
    bpe_free(bpe);
    BpeError error;
    ck_assert_ptr_null(bpe_train("abc", 3, -1, NULL, &error));
    ck_assert_ptr_nonnull(strstr(error.message, "n_merges"));
}
END_TEST

// ---------------------------------------------------------------------------------
// Encoding and decoding

START_TEST(test_encode_uses_learned_tokens) {
    Bpe *bpe = train_paragraph(300, false);
    int ids[16];
    ck_assert_int_eq(bpe_encode(bpe, " the", 4, ids, 16), 1);  // frequent: one token
    ck_assert_str_eq(bpe_token_text(bpe, ids[0]), " the</w>");
    ck_assert(bpe_token_ends_pretoken(bpe, ids[0]));
    long n = bpe_encode(bpe, "The next pair", 13, ids, 16);
    ck_assert_int_eq(n, 3);
    ck_assert_str_eq(bpe_token_text(bpe, ids[1]), " next</w>");
    // An array too short gets what fits; the return value says what is needed.
    ids[1] = -7;
    ck_assert_int_eq(bpe_encode(bpe, "The next pair", 13, ids, 1), 3);
    ck_assert_int_eq(ids[1], -7);
    bpe_free(bpe);
}
END_TEST

START_TEST(test_decode_capacity_and_bad_ids) {
    Bpe *bpe = train_paragraph(100, false);
    int ids[64];
    const char *text = "Words that occur often";
    long n = bpe_encode(bpe, text, strlen(text), ids, 64);
    char out[8];
    memset(out, '#', sizeof out);
    ck_assert_uint_eq(bpe_decode(bpe, ids, n, out, 5), strlen(text));  // reports the full length
    ck_assert_int_eq(memcmp(out, "Words", 5), 0);
    ck_assert_int_eq(out[5], '#');  // nothing beyond capacity
    char full[64];
    ck_assert_uint_eq(bpe_decode(bpe, ids, n, full, sizeof full), strlen(text));
    ck_assert_str_eq(full, text);  // '\0'-terminated when there is room
    int bad[] = {65, bpe_vocab_size(bpe)}, negative[] = {-1};
    ck_assert_uint_eq(bpe_decode(bpe, bad, 2, full, sizeof full), SIZE_MAX);
    ck_assert_uint_eq(bpe_decode(bpe, negative, 1, full, sizeof full), SIZE_MAX);
    ck_assert_uint_eq(bpe_decode(bpe, ids, 0, full, sizeof full), 0);
    ck_assert_str_eq(bpe_token_text(bpe, -1), "?");
    bpe_free(bpe);
}
END_TEST

// A string literal and its length, NUL bytes included.
#define LITERAL(s) {s, sizeof(s) - 1}

START_TEST(test_round_trip_edge_cases) {
    Bpe *bpe = train_paragraph(200, false);
    static const struct { const char *text; size_t len; } cases[] = {
        LITERAL(""),
        LITERAL(" "),
        LITERAL("   \t\n\n  \r\n"),
        LITERAL("\n"),
        LITERAL("a\0b\0\0 c"),                          // NUL bytes
        LITERAL("\x01\x02\x1B[31mred\x1B[0m\x7F"),     // control characters
        LITERAL("\xFF\xFE\xC3\xC0\xAF\xED\xA0\x80\xF4\x90\x80\x80"),  // invalid UTF-8 of many kinds
        LITERAL("\xE2\x80"),                            // truncated at the end
        LITERAL("The the THE tHe"),
        LITERAL("</w> <w> </w>"),                      // the marker's spelling is only text
        LITERAL(" leading and trailing "),
        LITERAL("tokens"),
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_round_trip(bpe, cases[i].text, cases[i].len, cases[i].text, "edge case");
    char long_run[3000];
    memset(long_run, 'e', sizeof long_run);
    assert_round_trip(bpe, long_run, sizeof long_run, long_run, "a long word");
    memset(long_run, ' ', sizeof long_run);
    assert_round_trip(bpe, long_run, sizeof long_run, long_run, "a long space run");
    memset(long_run, '-', sizeof long_run);
    assert_round_trip(bpe, long_run, sizeof long_run, long_run, "a long punctuation run");
    bpe_free(bpe);
}
END_TEST

// Random bytes, and random picks from a small alphabet of troublemakers.
START_TEST(test_round_trip_random_bytes) {
    static const char pieces[] = " \t\n'a\xC3\xA9\xE2\x80\x99.1A\0\xFF";
    Rng rng;
    rng_seed(&rng, 2024);
    Bpe *english = train_paragraph(200, false);
    char text[2048];
    for (int trial = 0; trial < 30; trial++) {
        size_t len = (size_t)rng_below(&rng, (int)sizeof text);
        for (size_t i = 0; i < len; i++)
            text[i] = trial % 2 ? (char)rng_below(&rng, 256) : pieces[rng_below(&rng, (int)sizeof pieces - 1)];
        assert_round_trip(english, text, len, text, "random bytes, English vocabulary");
        if (trial % 10 == 0) {  // a vocabulary learned from random bytes, used on other random bytes
            Bpe *noise = bpe_train(text, len, 100, NULL, NULL);
            ck_assert_ptr_nonnull(noise);
            for (size_t i = 0; i < len; i++) text[i] = (char)rng_below(&rng, 256);
            assert_round_trip(noise, text, len, text, "random bytes, random vocabulary");
            bpe_free(noise);
        }
    }
    bpe_free(english);
}
END_TEST

// With lowercase on, ASCII A-Z decode as a-z and every other byte is unchanged.
START_TEST(test_lowercase_normalisation) {
    Bpe *bpe = train_paragraph(150, true);
    ck_assert(bpe_lowercases(bpe));
    const char *text = "The TOKENIZER Learns \xC3\x89t\xC3\xA9 [ABC] \xFF Z@";
    const char *lower = "the tokenizer learns \xC3\x89t\xC3\xA9 [abc] \xFF z@";
    assert_round_trip(bpe, text, strlen(text), lower, "lower-casing");
    int upper_ids[64], lower_ids[64];
    long n_upper = bpe_encode(bpe, "THE Words", 9, upper_ids, 64);
    long n_lower = bpe_encode(bpe, "the words", 9, lower_ids, 64);
    ck_assert_int_eq(n_upper, n_lower);
    ck_assert_int_eq(memcmp(upper_ids, lower_ids, sizeof(int) * (size_t)n_upper), 0);
    for (int id = 0; id < bpe_vocab_size(bpe); id++) {  // no upper-case letter was learned
        int length;
        const unsigned char *bytes = bpe_token_bytes(bpe, id, &length);
        for (int i = 0; id >= BPE_BASE_TOKENS && i < length; i++) ck_assert(bytes[i] < 'A' || bytes[i] > 'Z');
    }
    bpe_free(bpe);
}
END_TEST

// The cache must not change results: a fresh vocabulary and a used one agree.
START_TEST(test_encode_cache_gives_same_ids) {
    Bpe *used = train_paragraph(200, false);
    size_t size;
    char *saved = bpe_serialize(used, &size);
    long n_first, n_again, n_fresh;
    int *first = bpe_encode_alloc(used, PARAGRAPH, strlen(PARAGRAPH), &n_first);
    int *again = bpe_encode_alloc(used, PARAGRAPH, strlen(PARAGRAPH), &n_again);
    Bpe *fresh = bpe_deserialize(saved, size, "saved", NULL);
    int *from_fresh = bpe_encode_alloc(fresh, PARAGRAPH, strlen(PARAGRAPH), &n_fresh);
    ck_assert_int_eq(n_first, n_again);
    ck_assert_int_eq(n_first, n_fresh);
    ck_assert_int_eq(memcmp(first, again, sizeof(int) * (size_t)n_first), 0);
    ck_assert_int_eq(memcmp(first, from_fresh, sizeof(int) * (size_t)n_first), 0);
    ck_assert_int_lt(3 * n_first, 2 * (long)strlen(PARAGRAPH));  // merges do compress
    free(first);
    free(again);
    free(from_fresh);
    free(saved);
    bpe_free(used);
    bpe_free(fresh);
}
END_TEST

START_TEST(test_token_text) {
    Bpe *bpe = bpe_train("caf\xC3\xA9 caf\xC3\xA9", 11, 10, NULL, NULL);
    ck_assert_str_eq(bpe_token_text(bpe, 'a'), "a");
    ck_assert_str_eq(bpe_token_text(bpe, 256 + 'a'), "a</w>");
    ck_assert_str_eq(bpe_token_text(bpe, '\n'), "\\n");
    ck_assert_str_eq(bpe_token_text(bpe, '\\'), "\\\\");
    ck_assert_str_eq(bpe_token_text(bpe, 0), "\\x00");
    ck_assert_str_eq(bpe_token_text(bpe, 0xC3), "\\xC3");  // half a character
    int ids[4];
    ck_assert_int_eq(bpe_encode(bpe, "caf\xC3\xA9", 5, ids, 4), 1);
    ck_assert_str_eq(bpe_token_text(bpe, ids[0]), "caf\xC3\xA9</w>");  // whole characters as they are
    int length;
    const unsigned char *bytes = bpe_token_bytes(bpe, ids[0], &length);
    ck_assert_int_eq(length, 5);
    ck_assert_int_eq(memcmp(bytes, "caf\xC3\xA9", 5), 0);
    ck_assert_ptr_null(bpe_token_bytes(bpe, 9999, &length));
    bpe_free(bpe);
}
END_TEST

// ---------------------------------------------------------------------------------
// The vocabulary file

static const char *TEST_VOCAB_PATH = "test_bpe_vocabulary.tmp";

START_TEST(test_file_round_trip) {
    Bpe *bpe = train_paragraph(120, true);
    BpeError error;
    ck_assert_msg(bpe_save(bpe, TEST_VOCAB_PATH, &error), "%s", error.message);
    Bpe *loaded = bpe_load(TEST_VOCAB_PATH, &error);
    remove(TEST_VOCAB_PATH);
    ck_assert_msg(loaded != NULL, "%s", error.message);
    size_t size_a, size_b;
    char *a = bpe_serialize(bpe, &size_a), *b = bpe_serialize(loaded, &size_b);
    ck_assert_uint_eq(size_a, size_b);
    ck_assert_int_eq(memcmp(a, b, size_a), 0);
    ck_assert(bpe_lowercases(loaded));
    ck_assert_ptr_nonnull(strstr(a, "gpt1.c-bpe 1\n"));
    ck_assert_ptr_nonnull(strstr(a, "\" the</w>\"\n"));  // the comment column shows the tokens
    long n;
    int *ids = bpe_encode_alloc(loaded, PARAGRAPH, strlen(PARAGRAPH), &n);
    long n_original = bpe_encode(bpe, PARAGRAPH, strlen(PARAGRAPH), NULL, 0);
    ck_assert_int_eq(n, n_original);
    free(ids);
    free(a);
    free(b);
    bpe_free(bpe);
    bpe_free(loaded);
}
END_TEST

// bpe_read stops after "end", so a vocabulary can sit inside a larger file.
START_TEST(test_file_embedded_in_stream) {
    Bpe *bpe = train_paragraph(50, false);
    FILE *file = tmpfile();
    ck_assert_ptr_nonnull(file);
    ck_assert(bpe_write(bpe, file, "stream", NULL));
    fputs("WEIGHTS", file);
    rewind(file);
    BpeError error;
    Bpe *read = bpe_read(file, "stream", &error);
    ck_assert_msg(read != NULL, "%s", error.message);
    char rest[16] = {0};
    ck_assert_ptr_nonnull(fgets(rest, sizeof rest, file));
    ck_assert_str_eq(rest, "WEIGHTS");
    ck_assert_int_eq(bpe_vocab_size(read), bpe_vocab_size(bpe));
    fclose(file);
    bpe_free(read);
    bpe_free(bpe);
}
END_TEST

// Loads `text` from memory and expects a failure whose message holds every `parts`.
static void assert_rejected(const char *text, size_t size, const char *parts[], int n_parts) {
    BpeError error = {{0}};
    Bpe *bpe = bpe_deserialize(text, size, "vocab.bpe", &error);
    ck_assert_msg(bpe == NULL, "accepted: %.60s", text);
    ck_assert_ptr_null(strchr(error.message, '\n'));  // one line
    for (int i = 0; i < n_parts; i++)
        ck_assert_msg(strstr(error.message, parts[i]) != NULL, "'%s' not in: %s", parts[i], error.message);
}

#define REJECTS(text, ...) \
    assert_rejected(text, strlen(text), (const char *[]){__VA_ARGS__}, \
                    (int)(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)))

START_TEST(test_file_rejects_corruption) {
    const char *head = "gpt1.c-bpe 1\nlowercase 0\n";
    char text[256];
    REJECTS("", "vocab.bpe: line 1: magic: expected 'gpt1.c-bpe 1', found the end of the data");
    REJECTS("gpt2-bpe 1\n", "vocab.bpe: line 1: magic", "found 'gpt2-bpe 1'");
    REJECTS("\x89PNG\r\n\x1A\n", "line 1: magic", "found '\\x89PNG'");
    REJECTS("gpt1.c-bpe 7\n", "line 1: version: expected format version 1");
    REJECTS("gpt1.c-bpe 1\nlowercase maybe\n", "line 2: lowercase: expected 'lowercase N' with N from 0 to 1");
    snprintf(text, sizeof text, "%smerges -3\n", head);
    REJECTS(text, "line 3: merges: expected 'merges N' with N from 0 to 1000000", "found 'merges -3'");
    snprintf(text, sizeof text, "%smerges 2\n97 98\n", head);  // truncated
    REJECTS(text, "line 5: merge 1 of 2: expected '<left id> <right id>', found the end of the data");
    snprintf(text, sizeof text, "%smerges 2\n97 98\nend\n", head);
    REJECTS(text, "line 5: merge 1 of 2", "found 'end'");
    snprintf(text, sizeof text, "%smerges 1\n97 98\n", head);
    REJECTS(text, "line 5: end: expected 'end' after the last merge, found the end of the data");
    snprintf(text, sizeof text, "%smerges 1\n97 98\n99 100\nend\n", head);
    REJECTS(text, "line 5: end", "found '99 100'");
    snprintf(text, sizeof text, "%smerges 1\n600 97\nend\n", head);  // a bad merge reference
    REJECTS(text, "line 4: merge 0 of 1: left id 600 is not an id defined before this merge (0 to 511)");
    snprintf(text, sizeof text, "%smerges 2\n97 98\n97 513\nend\n", head);
    REJECTS(text, "line 5: merge 1 of 2: right id 513 is not an id defined before this merge (0 to 512)");
    snprintf(text, sizeof text, "%smerges 1\n353 97\nend\n", head);
    REJECTS(text, "merge 0 of 1: left id 353 (a</w>) ends a pre-token");
    snprintf(text, sizeof text, "%smerges 2\n97 98\n97 98\nend\n", head);
    REJECTS(text, "merge 1 of 2: the pair 97 98 was already merged into id 512");
    snprintf(text, sizeof text, "%smerges 1\n97 98x\nend\n", head);
    REJECTS(text, "line 4: merge 0 of 1: expected '<left id> <right id>'", "found '97 98x'");
    snprintf(text, sizeof text, "%smerges 0\nend\nmore\n", head);
    REJECTS(text, "end: expected nothing after 'end'");
    assert_rejected("gpt1.c-bpe 1\nlowercase 0\0\n", 26, (const char *[]){"line 2: lowercase", "NUL"}, 2);
    char long_line[1200];
    snprintf(long_line, sizeof long_line, "%smerges 1\n97 98 \"", head);
    size_t start = strlen(long_line);
    memset(long_line + start, 'x', sizeof long_line - 1 - start);  // the line runs to the end of the buffer
    long_line[sizeof long_line - 1] = '\0';
    REJECTS(long_line, "line 4: merge 0 of 1", "found a line longer than 1023 bytes");
}
END_TEST

// Tokens may not grow past a pre-token: a file that doubles a token again and again
// is refused before it can ask for much memory.
START_TEST(test_file_rejects_oversized_token) {
    char text[512] = "gpt1.c-bpe 1\nlowercase 0\nmerges 7\n97 97\n";
    for (int k = 1; k < 7; k++) snprintf(text + strlen(text), sizeof text - strlen(text), "%d %d\n", 511 + k, 511 + k);
    strcat(text, "end\n");
    REJECTS(text, "merge 6 of 7: the merged token would be 128 bytes long, more than a pre-token's 64");
}
END_TEST

// Every prefix of a valid file, and many random corruptions of it: rejected or loaded,
// never a crash (the sanitizer and valgrind builds check the memory side).
START_TEST(test_file_truncated_and_mutated) {
    Bpe *bpe = train_paragraph(20, false);
    size_t size;
    char *text = bpe_serialize(bpe, &size);
    BpeError error;
    for (size_t cut = 0; cut < size; cut++) {
        error.message[0] = '\0';
        Bpe *partial = bpe_deserialize(text, cut, "cut.bpe", &error);
        ck_assert_msg(partial == NULL || cut == size - 1, "a prefix of %zu of %zu bytes was accepted", cut, size);
        if (partial == NULL) ck_assert_msg(strncmp(error.message, "cut.bpe: line ", 14) == 0, "%s", error.message);
        bpe_free(partial);
    }
    Rng rng;
    rng_seed(&rng, 99);
    char *mutated = malloc(size);
    for (int trial = 0; trial < 200; trial++) {
        memcpy(mutated, text, size);
        for (int flips = 1 + rng_below(&rng, 3); flips > 0; flips--)
            mutated[rng_below(&rng, (int)size)] = (char)rng_below(&rng, 256);
        error.message[0] = '\0';
        Bpe *loaded = bpe_deserialize(mutated, size, "mutated.bpe", &error);
        if (loaded == NULL) ck_assert_msg(strncmp(error.message, "mutated.bpe: line ", 18) == 0, "%s", error.message);
        else assert_round_trip(loaded, PARAGRAPH, strlen(PARAGRAPH), PARAGRAPH, "a mutated vocabulary");
        bpe_free(loaded);
    }
    free(mutated);
    free(text);
    bpe_free(bpe);
}
END_TEST

START_TEST(test_file_missing) {
    BpeError error;
    ck_assert_ptr_null(bpe_load("no/such/dir/vocab.bpe", &error));
    ck_assert_ptr_nonnull(strstr(error.message, "no/such/dir/vocab.bpe: cannot open the vocabulary"));
}
END_TEST

Suite *bpe_suite(void) {
    Suite *s = suite_create("bpe");
    TCase *tc = tcase_create("bpe");
    tcase_add_test(tc, test_pretokenize_words_punctuation_whitespace);
    tcase_add_test(tc, test_pretokenize_long_runs);
    tcase_add_test(tc, test_train_known_merges_tie_on_left_id);
    tcase_add_test(tc, test_train_known_merges_tie_on_right_id);
    tcase_add_test(tc, test_train_matches_full_recount);
    tcase_add_test(tc, test_train_is_deterministic);
    tcase_add_test(tc, test_train_progress_and_edge_cases);
    tcase_add_test(tc, test_encode_uses_learned_tokens);
    tcase_add_test(tc, test_decode_capacity_and_bad_ids);
    tcase_add_test(tc, test_round_trip_edge_cases);
    tcase_add_test(tc, test_round_trip_random_bytes);
    tcase_add_test(tc, test_lowercase_normalisation);
    tcase_add_test(tc, test_encode_cache_gives_same_ids);
    tcase_add_test(tc, test_token_text);
    tcase_add_test(tc, test_file_round_trip);
    tcase_add_test(tc, test_file_embedded_in_stream);
    tcase_add_test(tc, test_file_rejects_corruption);
    tcase_add_test(tc, test_file_rejects_oversized_token);
    tcase_add_test(tc, test_file_truncated_and_mutated);
    tcase_add_test(tc, test_file_missing);
    tcase_set_timeout(tc, 60);  // valgrind runs the file and round-trip tests ~50x slower
    suite_add_tcase(s, tc);
    return s;
}
