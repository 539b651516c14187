// The word splitter: a stand-in for the spaCy English tokenizer (v1/v2) that GPT-1 ran
// on the cleaned text. Like spaCy, it works on each space-separated item:
//
//   while the item is not empty:
//       a special case (the whole item)                 -> one word, or two (gonna -> gon na)
//       else take off a prefix and a suffix, checking whether what remains is a special case
//   then the core, cut at infixes; then the suffixes, in order.
//
//   prefix:  a punctuation character at the start; ".." "--" "''" "``" runs as one
//   suffix:  a punctuation character at the end; "..." runs; "''"; the contractions
//            n't 'm 'd 're 've 'll after a letter (don't -> do n't, can't -> ca n't), 's
//            after anything (1920's -> 1920 's, jr.'s -> jr. 's)
//   special: 's n't ... alone, o'clock c'mon y'all ma'am 'em 'cause 'bout, titles and
//            months with their period (mr. dr. st. jan. ...), single letters with
//            periods (J. u.s. e.g. a.m.)
//   infix:   ".." runs inside a word; : < > = between a letter or digit and a letter
//
// Where it can differ from spaCy (docs/gpt1_weights.md): spaCy's lists of special
// cases are longer (every state abbreviation, emoticons, ...), it recognises URLs and
// e-mail addresses, it cuts "end.Start" at the period (a rule that looks at the case of
// the letters: decoded text is lower-case and could not come back), and some of its
// rules depend on the word's shape in ways that are not copied here. Those differences
// change the ids of rare words only.
#include <stdlib.h>
#include <string.h>

#include "gpt/tokenizer/gpt1_internal.h"

typedef struct Span {
    size_t start, end;
} Span;

typedef struct Splitter {
    const char *text;
    Gpt1WordFn emit;
    void *user;
    Span *suffixes;   // the suffixes taken off the current item, last one first
    int n_suffixes, suffixes_capacity;
    bool out_of_memory;
} Splitter;

static const char *const SPECIAL[] = {
    "'s", "'m", "'d", "'re", "'ve", "'ll", "n't", "'em", "'cause", "'bout", "'til",
    "o'clock", "c'mon", "y'all", "ma'am",
    "mr.", "mrs.", "ms.", "dr.", "st.", "jr.", "sr.", "mt.", "vs.", "inc.", "ltd.", "co.", "corp.",
    "prof.", "gen.", "gov.", "sen.", "rep.", "rev.", "sgt.", "capt.", "lt.", "col.", "ph.d.",
    "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec.",
};
// Special cases that are two words: the first word's length.
static const struct { const char *word; int first; } TWO_WORDS[] = {
    {"gonna", 3}, {"gotta", 3}, {"wanna", 3}, {"cannot", 3},
};
static const char *const CONTRACTIONS[] = {"n't", "'s", "'m", "'d", "'re", "'ve", "'ll"};

static uint32_t char_at(const char *text, size_t at, size_t end, size_t *length) {
    return gpt1_utf8_next((const unsigned char *)text + at, end - at, length);
}

// The character that ends at `at` (the cleaned text is valid UTF-8); *length its bytes.
static uint32_t char_before(const char *text, size_t start, size_t at, size_t *length) {
    size_t back = at - 1;
    while (back > start && ((unsigned char)text[back] & 0xC0) == 0x80) back--;
    *length = at - back;
    return char_at(text, back, at, length);
}

static bool same_ascii_lower(const char *text, size_t start, size_t end, const char *word) {
    size_t n = strlen(word);
    if (end - start != n) return false;
    for (size_t i = 0; i < n; i++) {
        char c = text[start + i];
        if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != word[i]) return false;
    }
    return true;
}

static bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_letter(uint32_t c) { return gpt1_is_alnum(c) && !(c >= '0' && c <= '9'); }

// J., u.s., e.g., a.m.: single letters, each followed by a period (spaCy lists a. to z.
// as special cases and never splits the period after a single capital).
static bool is_dotted_letters(const char *text, size_t start, size_t end) {
    size_t n = end - start;
    if (n < 2 || n % 2 != 0) return false;
    for (size_t i = start; i < end; i += 2)
        if (!is_ascii_letter(text[i]) || text[i + 1] != '.') return false;
    return true;
}

static bool in_list(const char *text, size_t start, size_t end, const char *const *list, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (same_ascii_lower(text, start, end, list[i])) return true;
    return false;
}

// Every special case but gonna, gotta, wanna and cannot has a period or an apostrophe,
// and none but the dotted letters is longer than 7 bytes: most words are refused at once.
static bool is_special(const char *text, size_t start, size_t end) {
    size_t n = end - start;
    if (n < 2) return false;
    bool marked = memchr(text + start, '.', n) != NULL || memchr(text + start, '\'', n) != NULL;
    if (!marked) {
        for (size_t i = 0; (n == 5 || n == 6) && i < sizeof TWO_WORDS / sizeof *TWO_WORDS; i++)
            if (same_ascii_lower(text, start, end, TWO_WORDS[i].word)) return true;
        return false;
    }
    return (n <= 7 && in_list(text, start, end, SPECIAL, sizeof SPECIAL / sizeof *SPECIAL)) ||
           is_dotted_letters(text, start, end);
}

bool gpt1_is_special_word(const char *word, size_t length) { return is_special(word, 0, length); }

// Words are passed on at most GPT1_MAX_WORD_BYTES long, cut at character boundaries.
static void emit_word(Splitter *s, size_t start, size_t end) {
    while (end - start > GPT1_MAX_WORD_BYTES) {
        size_t cut = start + GPT1_MAX_WORD_BYTES;
        while (((unsigned char)s->text[cut] & 0xC0) == 0x80) cut--;
        s->emit(s->text + start, cut - start, s->user);
        start = cut;
    }
    if (end > start) s->emit(s->text + start, end - start, s->user);
}

static void emit_special(Splitter *s, size_t start, size_t end) {
    for (size_t i = 0; i < sizeof TWO_WORDS / sizeof *TWO_WORDS; i++)
        if (same_ascii_lower(s->text, start, end, TWO_WORDS[i].word)) {
            emit_word(s, start, start + (size_t)TWO_WORDS[i].first);
            emit_word(s, start + (size_t)TWO_WORDS[i].first, end);
            return;
        }
    emit_word(s, start, end);
}

static size_t run_length(const char *text, size_t at, size_t end, char c) {
    size_t n = 0;
    while (at + n < end && text[at + n] == c) n++;
    return n;
}

static size_t prefix_length(const char *text, size_t start, size_t end) {
    size_t length;
    uint32_t c = char_at(text, start, end, &length);
    if (gpt1_is_alnum(c)) return 0;
    if (c == '.' || c == '-') {
        size_t run = run_length(text, start, end, (char)c);
        return c == '.' && run == 1 ? 1 : run;
    }
    if ((c == '\'' || c == '`') && end - start >= 2 && text[start + 1] == (char)c) return 2;
    return length;
}

static size_t suffix_length(const char *text, size_t start, size_t end) {
    size_t length;
    uint32_t c = char_before(text, start, end, &length);
    bool apostrophe = end - start >= 3 && memchr(text + end - 3, '\'', 2) != NULL;  // where every contraction has one
    for (size_t i = 0; apostrophe && i < sizeof CONTRACTIONS / sizeof *CONTRACTIONS; i++) {
        size_t n = strlen(CONTRACTIONS[i]);
        size_t before = 0;
        uint32_t c_before = end - start > n ? char_before(text, start, end - n, &before) : 0;
        bool after_word = i == 1 || is_letter(c_before);  // 's after anything: 1920's, jr.'s
        if (before > 0 && after_word && same_ascii_lower(text, end - n, end, CONTRACTIONS[i])) return n;
    }
    if (gpt1_is_alnum(c)) return 0;
    if (c == '.') {
        size_t run = 0;
        while (end - run > start && text[end - run - 1] == '.') run++;
        return run;
    }
    if (c == '\'' && end - start >= 2 && text[end - 2] == '\'') return 2;
    // goin', nothin': the apostrophe of a dropped g stays with the word
    if (c == '\'' && end - start >= 4 && same_ascii_lower(text, end - 3, end, "in'") && is_ascii_letter(text[end - 4]))
        return 0;
    return length;
}

static void push_suffix(Splitter *s, size_t start, size_t end) {
    if (s->n_suffixes == s->suffixes_capacity) {
        int capacity = s->suffixes_capacity ? 2 * s->suffixes_capacity : 16;
        Span *grown = realloc(s->suffixes, sizeof *grown * (size_t)capacity);
        if (grown == NULL) {
            s->out_of_memory = true;
            return;
        }
        s->suffixes = grown, s->suffixes_capacity = capacity;
    }
    s->suffixes[s->n_suffixes++] = (Span){start, end};
}

// Where the core splits at an infix: *infix_end > at when an infix starts at `at`.
static bool infix_at(const char *text, size_t start, size_t end, size_t at, size_t *infix_end) {
    char c = text[at];
    if (c == '.' && at > start && at + 1 < end && text[at + 1] == '.') {
        *infix_end = at + run_length(text, at, end, '.');
        return true;
    }
    if (at == start || at + 1 >= end) return false;
    size_t length;
    bool alnum_before = gpt1_is_alnum(char_before(text, start, at, &length));
    bool letter_after = is_ascii_letter(text[at + 1]) || (unsigned char)text[at + 1] >= 0x80;
    bool splits = c != '\0' && strchr(":<>=", c) != NULL && alnum_before && letter_after;
    *infix_end = at + 1;
    return splits;
}

static void emit_core(Splitter *s, size_t start, size_t end) {
    size_t piece = start;
    for (size_t at = start; at < end; at++) {
        size_t infix_end;
        if (!infix_at(s->text, start, end, at, &infix_end)) continue;
        emit_word(s, piece, at);
        emit_word(s, at, infix_end);
        piece = infix_end;
        at = infix_end - 1;
    }
    emit_word(s, piece, end);
}

// One space-free item, as spaCy's _split_affixes and _attach_tokens treat it.
static void split_item(Splitter *s, size_t start, size_t end) {
    const char *t = s->text;
    s->n_suffixes = 0;
    while (start < end && !s->out_of_memory) {
        if (is_special(t, start, end)) {
            emit_special(s, start, end);
            start = end;
            break;
        }
        size_t p = prefix_length(t, start, end), q = suffix_length(t, start, end);
        if (p > 0 && is_special(t, start + p, end)) {
            emit_word(s, start, start + p);
            start += p;
            continue;
        }
        if (q > 0 && is_special(t, start, end - q)) {
            push_suffix(s, end - q, end);
            end -= q;
            continue;
        }
        if (p == 0 && q == 0) break;
        if (p > 0) emit_word(s, start, start + p), start += p;
        if (q > 0 && q <= end - start) push_suffix(s, end - q, end), end -= q;
    }
    if (start < end) emit_core(s, start, end);
    for (int i = s->n_suffixes - 1; i >= 0; i--) emit_word(s, s->suffixes[i].start, s->suffixes[i].end);
}

bool gpt1_split_words(const char *text, size_t len, Gpt1WordFn emit, void *user) {
    Splitter s = {.text = text, .emit = emit, .user = user};
    for (size_t at = 0; at < len && !s.out_of_memory;) {
        size_t end = at;
        while (end < len && text[end] != ' ') end++;
        if (end - at == 1 && text[at] == '\n') emit(text + at, 1, user);
        else if (end > at) split_item(&s, at, end);
        at = end + 1;
    }
    free(s.suffixes);
    return !s.out_of_memory;
}
