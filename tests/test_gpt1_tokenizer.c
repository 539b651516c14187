// GPT-1's tokenizer (gpt/tokenizer/gpt1_*.c) on the fixture vocabulary of
// tests/gpt1_fixture.c: the cleaning of text_standardize, the spaCy stand-in, the merges
// in rank order, unknown symbols, decoding, the strict reading of both files and the
// checkpoint payload. The released vocabulary is checked by make gpt1-vocab-check.
#include <stdlib.h>
#include <string.h>

#include "gpt/tokenizer/gpt1_internal.h"
#include "gpt/tokenizer/gpt1_payload.h"
#include "gpt/tokenizer/tokenizer.h"
#include "tests/gpt1_fixture.h"
#include "tests/helpers.h"

static Gpt1Vocab *fixture_vocab(void) {
    char error[512];
    const char *encoder = fixture_encoder_json(), *merges = fixture_merges();
    Gpt1Vocab *v = gpt1_vocab_parse(encoder, strlen(encoder), "encoder", merges, strlen(merges), "merges", error,
                                    sizeof error);
    ck_assert_msg(v != NULL, "%s", error);
    return v;
}

static void assert_clean(const char *text, const char *expected) {
    size_t n;
    char *clean = gpt1_clean_text(text, strlen(text), &n);
    ck_assert_msg(strcmp(clean, expected) == 0 && n == strlen(expected), "clean(\"%s\") = \"%s\", expected \"%s\"",
                  text, clean, expected);
    free(clean);
}

// text_standardize: padded punctuation runs, " \n " for any whitespace with a newline,
// one space otherwise, stripped; and the part of ftfy.fix_text done here.
START_TEST(test_clean_text) {
    assert_clean("Hello,  world!!", "Hello , world !!");
    assert_clean("  a\r\n\r\n  b \n", "a \n b");
    assert_clean("well-known (sort of)", "well - known ( sort of )");
    assert_clean("a--b", "a -- b");
    assert_clean("!?", "! ?");
    assert_clean("\xe2\x80\x9cHi\xe2\x80\x9d, he\xe2\x80\x99s", "\" Hi \" , he's");  // curly quotes
    assert_clean("a\xe2\x80\x94" "b\xe2\x80\xa6", "a - b...");                     // em dash, ellipsis
    assert_clean("\xef\xac\x81ne caf\xc3\xa9", "fine caf\xc3\xa9");                // the fi ligature
    assert_clean("x\x01y\x7f\xef\xbb\xbfz", "xyz");                                 // control characters, BOM
    assert_clean("a\xc2\xa0" "b\tc", "a b c");                                      // no-break space, tab
    assert_clean("\xef\xbc\xa1\xef\xbc\x81", "A !");                                // fullwidth A!
    assert_clean("bad \xff byte", "bad \xef\xbf\xbd byte");                         // invalid UTF-8: U+FFFD
    assert_clean("", "");
    assert_clean(" \n\t ", "");
}
END_TEST

typedef struct Words {
    char text[512];
    size_t n;
} Words;

static void collect(const char *word, size_t length, void *user) {
    Words *w = user;
    w->n += (size_t)snprintf(w->text + w->n, sizeof w->text - w->n, "%s%.*s", w->n ? "|" : "", (int)length, word);
}

static void assert_words(const char *text, const char *expected) {
    size_t n;
    char *clean = gpt1_clean_text(text, strlen(text), &n);
    Words w = {{0}, 0};
    ck_assert(gpt1_split_words(clean, n, collect, &w));
    ck_assert_msg(strcmp(w.text, expected) == 0, "words(\"%s\") = \"%s\", expected \"%s\"", text, w.text, expected);
    free(clean);
}

// The spaCy stand-in: contractions, special cases, prefixes, suffixes, infixes.
START_TEST(test_split_words) {
    assert_words("Don't you know Mr. Smith?", "Do|n't|you|know|Mr.|Smith|?");
    assert_words("I can't, she won't.", "I|ca|n't|,|she|wo|n't|.");
    assert_words("the cat's hat, the 1920's, jr.'s", "the|cat|'s|hat|,|the|1920|'s|,|jr.|'s");
    assert_words("I'm gonna go. We'll see; they've", "I|'m|gon|na|go|.|We|'ll|see|;|they|'ve");
    assert_words("U.S. officials, e.g. J. Doe, a.m.", "U.S.|officials|,|e.g.|J.|Doe|,|a.m.");
    assert_words("wait... 'Verily' o'clock goin' home", "wait|...|'|Verily|'|o'clock|goin'|home");
    assert_words("ratio a:b costs $3.50 or 20%", "ratio|a|:|b|costs|$|3.50|or|20|%");
    assert_words("one\n\ntwo", "one|\n|two");
    assert_words("``quoted''", "``|quoted|''");
    assert_words("''", "''");
    assert_words("end.", "end|.");
}
END_TEST

static int id_of(const Gpt1Vocab *v, const char *token) {
    int id = gpt1_token_id(v, token, strlen(token));
    ck_assert_msg(id >= 0, "no token '%s' in the fixture", token);
    return id;
}

static void assert_ids(Gpt1Vocab *v, const char *text, const char *const *tokens) {
    long n;
    int *ids = gpt1_encode(v, text, strlen(text), &n);
    long expected = 0;
    while (tokens[expected] != NULL) expected++;
    ck_assert_msg(n == expected, "\"%s\": %ld ids, expected %ld", text, n, expected);
    for (long i = 0; i < n; i++)
        ck_assert_msg(ids[i] == (tokens[i][0] == '\0' ? 0 : id_of(v, tokens[i])), "\"%s\": id %ld is %d, expected '%s'",
                      text, i, ids[i], tokens[i]);
    free(ids);
}

// The merges apply lowest rank first: "a a" (rank 9) before "a a</w>" (rank 10), so
// "aaa" is aa + a</w>; a character the vocabulary lacks is id 0; "\n" is its own token.
START_TEST(test_encode_with_merges) {
    Gpt1Vocab *v = fixture_vocab();
    ck_assert_int_eq(gpt1_vocab_size(v), 1 + 2 * 47 + 1 + 15);
    ck_assert_int_eq(gpt1_merge_count(v), 15);
    ck_assert_int_eq(id_of(v, "<unk>"), 0);
    ck_assert_int_eq(id_of(v, "a"), 1);
    ck_assert_int_eq(id_of(v, "a</w>"), 2);
    ck_assert_int_eq(gpt1_newline_id(v), 95);
    ck_assert_int_eq(id_of(v, "the</w>"), 97);
    assert_ids(v, "The cat is", (const char *const[]){"the</w>", "cat</w>", "is</w>", NULL});
    assert_ids(v, "Don't!", (const char *const[]){"do</w>", "n't</w>", "!</w>", NULL});
    assert_ids(v, "aaa", (const char *const[]){"aa", "a</w>", NULL});
    assert_ids(v, "aa", (const char *const[]){"aa</w>", NULL});
    assert_ids(v, "Mr. Cat's...\nok", (const char *const[]){"mr.</w>", "cat</w>", "'s</w>", "...</w>", "\n</w>", "o", "k</w>", NULL});
    assert_ids(v, "caf\xc3\xa9 x", (const char *const[]){"ca", "f", "", "x</w>", NULL});  // é</w> is unknown: 0
    assert_ids(v, "", (const char *const[]){NULL});
    gpt1_vocab_free(v);
}
END_TEST

static void assert_decode(Gpt1Vocab *v, const char *text, const char *expected) {
    long n;
    int *ids = gpt1_encode(v, text, strlen(text), &n);
    size_t len;
    char *decoded = gpt1_decode(v, ids, n, &len);
    ck_assert_msg(strcmp(decoded, expected) == 0, "decode(encode(\"%s\")) = \"%s\", expected \"%s\"", text, decoded,
                  expected);
    long m;
    int *again = gpt1_encode(v, decoded, len, &m);  // and the decoded text encodes to the same ids
    ck_assert_msg(m == n && memcmp(ids, again, sizeof(int) * (size_t)n) == 0, "\"%s\" does not come back", decoded);
    free(ids), free(decoded), free(again);
}

START_TEST(test_decode_undoes_spacing) {
    Gpt1Vocab *v = fixture_vocab();
    assert_decode(v, "Don't, the cat's (a) \"cat\" is-a: cat!", "don't, the cat's (a) \"cat\" is-a: cat!");
    assert_decode(v, "one\n\n two  three", "one\ntwo three");
    assert_decode(v, "I . . . a", "i . . . a");    // "i." would be one word, ". . ." three
    assert_decode(v, "mr . x", "mr . x");
    assert_decode(v, "wait - -- no", "wait- -- no");
    size_t len;
    int ids[] = {97, -5, 1000000, 98};  // ids out of range are skipped
    char *text = gpt1_decode(v, ids, 4, &len);
    ck_assert_str_eq(text, "the is");
    free(text);
    gpt1_vocab_free(v);
}
END_TEST

// The tokenizer kind: task tokens between runs, labels, byte_to_id, the payload.
START_TEST(test_tokenizer_kind_gpt1) {
    Tokenizer t, copy, loaded;
    tokenizer_init_gpt1(&t, fixture_vocab());
    ck_assert_str_eq(tokenizer_kind_name(t.kind), "gpt1");
    ck_assert_int_eq(t.n_text_tokens, 111);
    ck_assert_int_eq(t.byte_to_id['\n'], 95);
    ck_assert_int_eq(t.byte_to_id['a'], 2);
    char label[64];
    tokenizer_token_label(&t, 95, label, sizeof label);
    ck_assert_str_eq(label, "\\n</w>");
    t.n_task_tokens = N_TASK_TOKENS;
    int ids[] = {97, 111, 98, 113};
    char *text = tokenizer_decode(&t, ids, 4, NULL);
    ck_assert_str_eq(text, "the <s> is <e> ");
    free(text);
    tokenizer_copy(&copy, &t);
    size_t len;
    unsigned char *payload = tokenizer_payload(&copy, &len);
    char error[512];
    ck_assert_msg(tokenizer_from_payload(&loaded, TOKENIZER_GPT1, 111, 3, payload, len, error, sizeof error), "%s", error);
    long n;
    int *encoded = tokenizer_encode(&loaded, "the cat", 7, &n, error, sizeof error);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(encoded[1], id_of(loaded.gpt1, "cat</w>"));
    tokenizer_free(&loaded);
    ck_assert(!tokenizer_from_payload(&loaded, TOKENIZER_GPT1, 110, 0, payload, len, error, sizeof error));
    ck_assert_ptr_nonnull(strstr(error, "111 tokens, the header says 110"));
    ck_assert(!tokenizer_from_payload(&loaded, TOKENIZER_GPT1, 111, 0, payload, len - 1, error, sizeof error));
    ck_assert_ptr_nonnull(strstr(error, "'end' and nothing after it"));
    ck_assert(!tokenizer_from_payload(&loaded, TOKENIZER_GPT1, 111, 2, payload, len, error, sizeof error));
    ck_assert_ptr_nonnull(strstr(error, "2 task tokens, expected 0 or 3"));
    free(encoded), free(payload);
    tokenizer_free(&loaded), tokenizer_free(&copy), tokenizer_free(&t);
}
END_TEST

static void assert_vocab_error(const char *encoder, const char *merges, const char *message) {
    char error[512] = "";
    Gpt1Vocab *v = gpt1_vocab_parse(encoder, strlen(encoder), "enc.json", merges, strlen(merges), "merges.txt", error,
                                    sizeof error);
    ck_assert_msg(v == NULL, "accepted: %s / %s", encoder, merges);
    ck_assert_msg(strstr(error, message) != NULL, "expected '%s' in: %s", message, error);
}

// Every malformed file is one line naming the file and what is wrong.
START_TEST(test_vocabulary_files_are_checked) {
    const char *ok_merges = "#version: 0.2\na b\n";
    assert_vocab_error("[1, 2]", ok_merges, "enc.json: expected an object of 1 to 1000000");
    assert_vocab_error("{}", ok_merges, "enc.json: expected an object");
    assert_vocab_error("{\"a\": 0, \"b\": 2}", ok_merges, "token \"b\": expected an id from 0 to the number of tokens - 1");
    assert_vocab_error("{\"a\": 0, \"b\": 0}", ok_merges, "id 0 is given to two tokens, the second \"b\"");
    assert_vocab_error("{\"a\": 0, \"b\": 1.5}", ok_merges, "token \"b\": expected an integer id");
    assert_vocab_error("{\"a\": 0, \"\": 1}", ok_merges, "expected a token of 1 to 255 bytes");
    assert_vocab_error("{\"a\": 0, \"a\": 1}", ok_merges, "the key \"a\" appears twice");
    assert_vocab_error("{\"a\": 0, \"b\": 1", ok_merges, "enc.json: line 1, column 16: expected ',' or '}'");
    const char *enc = "{\"a\": 0, \"b\": 1}";
    assert_vocab_error(enc, "a b\n", "merges.txt: line 1: expected a first line '#version");
    assert_vocab_error(enc, "#version: 0.2\na b c\n", "merges.txt: line 2: expected 'left right'");
    assert_vocab_error(enc, "#version: 0.2\na b\n\nb a\n", "merges.txt: line 3: expected 'left right'");
    assert_vocab_error(enc, "#version: 0.2\na\tb\n", "merges.txt: line 2: expected 'left right'");
    assert_vocab_error(enc, "#version: 0.2\na b\nb a\na b\n", "merges.txt: line 4: the merge 'a b' repeats line 2");
    assert_vocab_error(enc, "#version: 0.2\na \xff\n", "merges.txt: line 2: expected 'left right' (two symbols of valid UTF-8");
    char error[256];
    Gpt1Vocab *v = gpt1_vocab_parse(enc, strlen(enc), "e", "#version: 0.2\na b", 17, "m", error, sizeof error);
    ck_assert_msg(v != NULL && gpt1_merge_count(v) == 1, "a last line without a newline counts");  // unlike the release
    gpt1_vocab_free(v);
    ck_assert_ptr_null(gpt1_vocab_load("/nonexistent", error, sizeof error));
    ck_assert_ptr_nonnull(strstr(error, "/nonexistent: no GPT-1 vocabulary here"));
}
END_TEST

// Both names of the files; the written files read back to the same vocabulary.
START_TEST(test_vocabulary_files_round_trip) {
    const char *dir = temp_file("gpt1_vocab");
    remove_directory(dir);
    write_fixture_vocab(dir, true);
    char error[512];
    Gpt1Vocab *v = gpt1_vocab_load(dir, error, sizeof error);
    ck_assert_msg(v != NULL, "%s", error);
    size_t encoder_len, merges_len;
    char *encoder = gpt1_vocab_json(v, &encoder_len), *merges = gpt1_merges_text(v, &merges_len);
    ck_assert_str_eq(merges, fixture_merges());
    Gpt1Vocab *again = gpt1_vocab_parse(encoder, encoder_len, "e", merges, merges_len, "m", error, sizeof error);
    ck_assert_msg(again != NULL, "%s", error);
    for (int id = 0; id < gpt1_vocab_size(v); id++) {
        size_t a, b;
        const char *x = gpt1_token_text(v, id, &a), *y = gpt1_token_text(again, id, &b);
        ck_assert(a == b && memcmp(x, y, a) == 0);
    }
    free(encoder), free(merges);
    gpt1_vocab_free(again), gpt1_vocab_free(v);
    remove_directory(dir);
}
END_TEST

// A word of thousands of letters is cut, not quadratic; any bytes encode.
START_TEST(test_encode_hostile_text) {
    Gpt1Vocab *v = fixture_vocab();
    size_t n = 100000;
    char *text = malloc(n);
    for (size_t i = 0; i < n; i++) text[i] = "aaaa\xff\xc3-'.\n"[i % 11 < 4 ? 0 : i % 11];
    long count;
    int *ids = gpt1_encode(v, text, n, &count);
    ck_assert(ids != NULL && count > 0);
    for (long i = 0; i < count; i++) ck_assert(ids[i] >= 0 && ids[i] < gpt1_vocab_size(v));
    memset(text, 'a', n);
    free(ids);
    ids = gpt1_encode(v, text, n, &count);
    ck_assert_int_eq(count, (long)n / 2);  // pieces of 512 (and 160) letters: aa aa ... aa</w>
    free(ids), free(text);
    gpt1_vocab_free(v);
}
END_TEST

Suite *gpt1_tokenizer_suite(void) {
    Suite *s = suite_create("gpt1_tokenizer");
    TCase *tc = tcase_create("gpt1_tokenizer");
    tcase_add_test(tc, test_clean_text);
    tcase_add_test(tc, test_split_words);
    tcase_add_test(tc, test_encode_with_merges);
    tcase_add_test(tc, test_decode_undoes_spacing);
    tcase_add_test(tc, test_tokenizer_kind_gpt1);
    tcase_add_test(tc, test_vocabulary_files_are_checked);
    tcase_add_test(tc, test_vocabulary_files_round_trip);
    tcase_add_test(tc, test_encode_hostile_text);
    suite_add_tcase(s, tc);
    return s;
}
