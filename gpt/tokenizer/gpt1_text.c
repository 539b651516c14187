// GPT-1's text cleaning, in C: a subset of ftfy.fix_text, then the release's
// text_standardize (text_utils.py):
//
//     text = text.replace('—', '-').replace('–', '-').replace('―', '-')
//     text = text.replace('…', '...').replace('´', "'")
//     text = re.sub(r'''(-+|~+|!+|"+|;+|\?+|\++|,+|\)+|\(+|\\+|\/+|\*+|\[+|\]+|}+|{+|\|+|_+)''', r' \1 ', text)
//     text = re.sub(r'\s*\n\s*', ' \n ', text)
//     text = re.sub(r'[^\S\n]+', ' ', text)
//     return text.strip()
//
// in one pass: the output is the text's items (runs of non-space characters, and each
// run of one of those punctuation characters on its own) joined by " ", or by " \n "
// where the whitespace between them held a newline.
//
// Of ftfy.fix_text we do what changes tokens in ordinary English text: line breaks
// (\r\n, \r, U+2028, U+2029, U+0085 -> \n), curly quotes -> straight ones, the Latin
// ligatures (ﬁ -> fi), fullwidth ASCII (Ａ -> A) and the removal of invisible control
// characters. Not done: repairing mojibake, HTML entities, Unicode NFC normalisation.
#include <stdlib.h>
#include <string.h>

#include "gpt/tokenizer/gpt1_internal.h"

uint32_t gpt1_utf8_next(const unsigned char *s, size_t available, size_t *length) {
    if (s[0] < 0x80) {
        *length = 1;
        return s[0];
    }
    uint32_t code;
    *length = bpe_utf8_decode(s, available, &code);
    if (*length > 0) return code;
    *length = 1;
    return 0xFFFD;
}

int gpt1_utf8_put(uint32_t c, char *out) {
    unsigned char *o = (unsigned char *)out;
    if (c < 0x80) return o[0] = (unsigned char)c, 1;
    if (c < 0x800) return o[0] = (unsigned char)(0xC0 | c >> 6), o[1] = (unsigned char)(0x80 | (c & 0x3F)), 2;
    if (c < 0x10000) {
        o[0] = (unsigned char)(0xE0 | c >> 12), o[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
        o[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | c >> 18), o[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
    o[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F)), o[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

bool gpt1_is_space(uint32_t c) {
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F) || c == 0x85 || c == 0xA0 ||
           c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

// Non-ASCII characters are letters, except the blocks of punctuation and symbols that
// the project's byte-level pre-tokenizer also treats as punctuation.
bool gpt1_is_alnum(uint32_t c) {
    if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    bool punctuation = c <= 0xBF || c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x2BFF) ||
                       (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0x1F000 && c <= 0x1FAFF) ||
                       c == 0xFFFD || (c >= 0xE000 && c <= 0xF8FF);
    return !punctuation && !gpt1_is_space(c);
}

// Latin-1, Latin Extended-A, Greek and Cyrillic capitals; other characters unchanged.
uint32_t gpt1_lower(uint32_t c) {
    if (c >= 'A' && c <= 'Z') return c + 32;
    if (c < 0xC0) return c;
    if (c <= 0xDE) return c == 0xD7 ? c : c + 32;
    if (c >= 0x100 && c <= 0x137) return c == 0x130 ? 'i' : c | 1;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return c % 2 == 1 ? c + 1 : c;
    if (c >= 0x14A && c <= 0x177) return c | 1;
    if (c == 0x178) return 0xFF;
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;
    if (c >= 0x410 && c <= 0x42F) return c + 32;
    if (c >= 0x400 && c <= 0x40F) return c + 80;
    return c;
}

// ftfy's remove_control_chars: characters with no visible effect.
static bool is_invisible_control(uint32_t c) {
    return c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F || (c >= 0x206A && c <= 0x206F) ||
           c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB) || (c >= 0x1D173 && c <= 0x1D17A) ||
           (c >= 0xE0000 && c <= 0xE007F);
}

// One character after the ftfy subset and text_standardize's replacements: 0 to 3
// characters in out. Returns how many.
static int fix_character(uint32_t c, uint32_t out[3]) {
    static const char *const ligatures[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};  // U+FB00..U+FB06
    if (is_invisible_control(c)) return 0;
    const char *several = c == 0x2026 ? "..." : c >= 0xFB00 && c <= 0xFB06 ? ligatures[c - 0xFB00] : NULL;
    if (several != NULL) {
        int n = 0;
        for (; several[n] != '\0'; n++) out[n] = (unsigned char)several[n];
        return n;
    }
    if (c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029) c = '\n';
    else if (c >= 0x2018 && c <= 0x201B) c = '\'';  // curly single quotes
    else if (c >= 0x201C && c <= 0x201F) c = '"';   // curly double quotes
    else if (c >= 0xFF01 && c <= 0xFF5E) c = c - 0xFF01 + '!';
    else if (c == 0x3000) c = ' ';
    else if (c == 0x2014 || c == 0x2013 || c == 0x2015) c = '-';
    else if (c == 0xB4) c = '\'';
    out[0] = c;
    return 1;
}

// The characters that text_standardize surrounds with spaces, a run of one at a time.
static bool is_padded(uint32_t c) {
    switch (c) {
    case '-': case '~': case '!': case '"': case ';': case '?': case '+': case ',': case ')': case '(':
    case '\\': case '/': case '*': case '[': case ']': case '}': case '{': case '|': case '_':
        return true;
    default:
        return false;
    }
}

typedef struct Cleaner {
    char *out;
    size_t n;
    bool space_pending, newline_pending;
    uint32_t padded_run;   // the character of the padded run being written, or 0
} Cleaner;

static void feed(Cleaner *c, uint32_t code) {
    bool plain = (code >= 'a' && code <= 'z') || (code >= 'A' && code <= 'Z');
    if (plain && c->padded_run == 0 && !c->space_pending && !c->newline_pending) {  // most characters
        c->out[c->n++] = (char)code;
        return;
    }
    if (gpt1_is_space(code)) {
        if (code == '\n') c->newline_pending = true;
        else c->space_pending = true;
        c->padded_run = 0;
        return;
    }
    bool padded = is_padded(code);
    if (padded && code == c->padded_run) {
        c->out[c->n++] = (char)code;
        return;
    }
    bool new_item = c->space_pending || c->newline_pending || c->padded_run != 0 || padded;
    if (new_item && c->n > 0) {
        const char *separator = c->newline_pending ? " \n " : " ";
        memcpy(c->out + c->n, separator, strlen(separator));
        c->n += strlen(separator);
    }
    c->space_pending = c->newline_pending = false;
    c->padded_run = padded ? code : 0;
    c->n += (size_t)gpt1_utf8_put(code, c->out + c->n);
}

char *gpt1_clean_text(const char *text, size_t len, size_t *out_len) {
    // Per input byte at most 4 bytes of characters and a separator of 3 in front
    // ("…" is 3 bytes and becomes "...", an invalid byte becomes the 3 bytes of U+FFFD).
    if (len > (SIZE_MAX - 1) / 7) return NULL;
    Cleaner c = {.out = malloc(len * 7 + 1)};
    if (c.out == NULL) return NULL;
    const unsigned char *s = (const unsigned char *)text;
    for (size_t at = 0, n; at < len; at += n) {
        uint32_t fixed[3];
        uint32_t code = gpt1_utf8_next(s + at, len - at, &n);
        int count = fix_character(code, fixed);
        for (int i = 0; i < count; i++) feed(&c, fixed[i]);
    }
    c.out[c.n] = '\0';
    *out_len = c.n;
    char *shrunk = realloc(c.out, c.n + 1);
    return shrunk != NULL ? shrunk : c.out;
}
