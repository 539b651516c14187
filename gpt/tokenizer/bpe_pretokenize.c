// Pre-tokenization: cutting text into the pieces that BPE merges never cross.
//
// GPT-1 cleaned its text with ftfy and split it with spaCy, then threw the whitespace
// away. We need an exact round trip, so the pieces cover the text with nothing left
// out, and the rules are simple enough to state in four lines:
//   - a word: letters (ASCII letters and every non-ASCII character that is not
//     punctuation); an apostrophe between two letters starts a new word: don|'t
//   - a number: ASCII digits
//   - punctuation or any other character (control bytes, invalid UTF-8): one
//     character, or a run of the same character ("...", "--")
//   - whitespace: a run of ASCII spaces, tabs, newlines (\t \n \v \f \r); but one space
//     directly before a word, number or punctuation belongs to it: " world"
// and no piece is longer than BPE_MAX_PRETOKEN_BYTES. docs/bpe.md says why.
#include <stdint.h>

#include "gpt/tokenizer/bpe_internal.h"

typedef enum { CHAR_SPACE, CHAR_LETTER, CHAR_DIGIT, CHAR_OTHER } CharKind;

// One character: a valid UTF-8 sequence, or one byte that is not part of one.
typedef struct Char {
    size_t length;   // 1 to 4 bytes
    uint32_t code;   // the code point; the byte itself for an invalid byte
    CharKind kind;
} Char;

// Invalid: a stray continuation byte, a truncated, overlong or surrogate sequence,
// or one beyond U+10FFFF.
size_t bpe_utf8_decode(const unsigned char *s, size_t available, uint32_t *code) {
    size_t n;
    uint32_t c, smallest;
    if (s[0] < 0x80) { *code = s[0]; return 1; }
    if (s[0] >= 0xC2 && s[0] <= 0xDF) { n = 2; c = s[0] & 0x1Fu; smallest = 0x80; }
    else if (s[0] >= 0xE0 && s[0] <= 0xEF) { n = 3; c = s[0] & 0x0Fu; smallest = 0x800; }
    else if (s[0] >= 0xF0 && s[0] <= 0xF4) { n = 4; c = s[0] & 0x07u; smallest = 0x10000; }
    else return 0;
    if (n > available) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        c = c << 6 | (s[i] & 0x3Fu);
    }
    if (c < smallest || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    *code = c;
    return n;
}

static bool is_ascii_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Non-ASCII characters are letters, except these blocks of punctuation and symbols:
// Latin-1's (no-break space, ¡ « » ¿ ...) and × ÷, General Punctuation and the
// symbol blocks after it (dashes, curly quotes, ellipsis, arrows, maths, ...), CJK
// punctuation, the fullwidth ASCII punctuation, and the emoji planes.
static bool is_unicode_punctuation(uint32_t c) {
    return (c >= 0x80 && c <= 0xBF) || c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x2BFF) ||
           (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0x1F000 && c <= 0x1FAFF);
}

static CharKind kind_of_code(uint32_t c) {
    if (c < 0x80) {
        if (is_ascii_space((unsigned char)c)) return CHAR_SPACE;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return CHAR_LETTER;
        if (c >= '0' && c <= '9') return CHAR_DIGIT;
        return CHAR_OTHER;
    }
    return is_unicode_punctuation(c) ? CHAR_OTHER : CHAR_LETTER;
}

static Char read_char(const unsigned char *text, size_t len, size_t at) {
    Char c;
    c.length = bpe_utf8_decode(text + at, len - at, &c.code);
    if (c.length == 0) return (Char){.length = 1, .code = text[at], .kind = CHAR_OTHER};
    c.kind = kind_of_code(c.code);
    return c;
}

static bool is_apostrophe(Char c) { return c.code == '\'' || c.code == 0x2019; }  // ' and ’

// Whether the character that ends just before text[at] is a letter. UTF-8 synchronises
// itself: the valid sequence that ends there starts at most 4 bytes back.
static bool letter_before(const unsigned char *text, size_t at) {
    for (size_t back = 1; back <= 4 && back <= at; back++) {
        uint32_t code;
        if (bpe_utf8_decode(text + at - back, back, &code) == back) return kind_of_code(code) == CHAR_LETTER;
    }
    return false;  // a stray byte, or the start of the text
}

// An apostrophe between two letters, as in don't or John's, starts a word ('t, 's).
static bool starts_contraction(const unsigned char *text, size_t len, size_t at, Char first) {
    size_t next = at + first.length;
    return is_apostrophe(first) && next < len && letter_before(text, at) &&
           read_char(text, len, next).kind == CHAR_LETTER;
}

// Whether `c` continues the run that started with `first` at text[start].
static bool continues_run(const unsigned char *text, size_t start, Char first, Char c, const unsigned char *c_bytes) {
    if (first.kind == CHAR_OTHER) {
        if (c.length != first.length) return false;
        for (size_t i = 0; i < c.length; i++)
            if (c_bytes[i] != text[start + i]) return false;
        return true;
    }
    return c.kind == (first.kind == CHAR_DIGIT ? CHAR_DIGIT : CHAR_LETTER);
}

// A word, number or punctuation run starting at text[start], at most `limit` bytes.
static size_t body_length(const unsigned char *text, size_t len, size_t start, size_t limit) {
    Char first = read_char(text, len, start);
    if (starts_contraction(text, len, start, first)) first.kind = CHAR_LETTER;
    size_t end = start + first.length;
    while (end < len) {
        Char c = read_char(text, len, end);
        if (end + c.length - start > limit || !continues_run(text, start, first, c, text + end)) break;
        end += c.length;
    }
    return end - start;
}

size_t bpe_pretoken_length(const char *chars, size_t len, size_t start) {
    const unsigned char *text = (const unsigned char *)chars;
    const size_t limit = BPE_MAX_PRETOKEN_BYTES;
    if (!is_ascii_space(text[start])) return body_length(text, len, start, limit);
    size_t end = start;
    while (end < len && is_ascii_space(text[end]) && end - start < limit) end++;
    bool body_follows = end < len && !is_ascii_space(text[end]);
    if (!body_follows || text[end - 1] != ' ') return end - start;
    if (end - start > 1) return end - 1 - start;  // the last space goes with what follows
    return 1 + body_length(text, len, start + 1, limit - 1);
}

void bpe_copy_pretoken(const char *text, size_t start, size_t length, bool lowercase, unsigned char *out) {
    const unsigned char *in = (const unsigned char *)text + start;
    for (size_t i = 0; i < length; i++) {
        unsigned char c = in[i];
        out[i] = (lowercase && c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
    }
}
