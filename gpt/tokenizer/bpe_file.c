// The vocabulary file: a short text that a person can read and diff.
//
//     gpt1.c-bpe 1                        magic and format version
//     # ...                               comment lines start with '#'
//     lowercase 0                         1: the text is ASCII lower-cased first
//     merges 3                            how many merge lines follow
//     116 104 "th"                        merge 0: left id, right id -> id 512
//     512 257 "th\x01</w>"                ... the quoted text is a comment for people
//     32 513 " th\x01</w>"
//     end
//
// Every merge is checked as it is read (gpt/tokenizer/bpe_vocab.c, bpe_add_merge): both ids
// defined before it, the left one not ending a pre-token, the token at most 64 bytes,
// no pair twice. Any problem is one line naming the source, the line, the field, what
// was expected and what was found.
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/tokenizer/bpe_internal.h"
#include "gpt/io/input_file.h"
#include "gpt/io/replace_file.h"

#define MAGIC "gpt1.c-bpe"
enum { FORMAT_VERSION = 1, LINE_BYTES = 1024, SHOWN_BYTES = 40 };

// ---------------------------------------------------------------------------------
// Writing

typedef struct Text {
    char *data;
    size_t used, capacity;
    bool out_of_memory;
} Text;

static void text_printf(Text *text, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vsnprintf(NULL, 0, format, args);
    va_end(args);
    char *data = bpe_grow(text->data, &text->capacity, text->used + (size_t)n + 1, 1);
    if (n < 0 || data == NULL) {
        text->out_of_memory = true;
        return;
    }
    text->data = data;
    va_start(args, format);
    vsnprintf(data + text->used, (size_t)n + 1, format, args);
    va_end(args);
    text->used += (size_t)n;
}

char *bpe_serialize(const Bpe *bpe, size_t *size) {
    Text text = {0};
    text_printf(&text, "%s %d\n", MAGIC, FORMAT_VERSION);
    text_printf(&text, "# gpt1.c byte-pair encoding (docs/bpe.md). Ids 0-255: bytes; 256-511: bytes that end a\n");
    text_printf(&text, "# pre-token (</w>); merge line k joins <left id> <right id> into id 512+k.\n");
    text_printf(&text, "lowercase %d\nmerges %d\n", bpe->lowercase ? 1 : 0, bpe->n_merges);
    for (int k = 0; k < bpe->n_merges && !text.out_of_memory; k++)
        text_printf(&text, "%d %d \"%s\"\n", bpe->merge_left[k], bpe->merge_right[k],
               bpe_token_text(bpe, BPE_BASE_TOKENS + k));
    text_printf(&text, "end\n");
    if (text.out_of_memory) {
        free(text.data);
        return NULL;
    }
    *size = text.used;
    return text.data;
}

bool bpe_write(const Bpe *bpe, FILE *file, const char *name, BpeError *error) {
    size_t size;
    char *text = bpe_serialize(bpe, &size);
    if (text == NULL) {
        bpe_set_error(error, "%s: out of memory while writing the vocabulary", name);
        return false;
    }
    bool ok = fwrite(text, 1, size, file) == size && fflush(file) == 0;
    if (!ok) bpe_set_error(error, "%s: cannot write the vocabulary: %s", name, strerror(errno));
    free(text);
    return ok;
}

bool bpe_save(const Bpe *bpe, const char *path, BpeError *error) {
    char why[BPE_ERROR_SIZE / 2];
    if (!replace_file_allowed(path, why, sizeof why)) {
        bpe_set_error(error, "%s", why);
        return false;
    }
    FILE *file = replace_file_open(path);
    if (file == NULL) {
        bpe_set_error(error, "%s: cannot write a file beside it: %s", path, strerror(errno));
        return false;
    }
    bool written = bpe_write(bpe, file, path, error);
    if (!replace_file_commit(file, path, written) && written) {
        bpe_set_error(error, "%s: cannot write the vocabulary: %s (the previous file is untouched)", path,
                      strerror(errno));
        return false;
    }
    return written;
}

// ---------------------------------------------------------------------------------
// Reading: lines from a FILE* or from memory

typedef enum { LINE_OK, LINE_END_OF_INPUT, LINE_TOO_LONG, LINE_HAS_NUL } LineStatus;

typedef struct Reader {
    const char *name;        // for error messages
    FILE *file;              // the input is this file...
    const char *data;        // ...or these bytes
    size_t size, position;
    int line_number;
    char line[LINE_BYTES];   // the current line, without its "\n" or "\r\n"
    BpeError *error;
} Reader;

static int next_byte(Reader *r) {
    if (r->file != NULL) return getc(r->file);
    return r->position < r->size ? (unsigned char)r->data[r->position++] : EOF;
}

static LineStatus next_line(Reader *r) {
    size_t n = 0;
    int c = next_byte(r);
    if (c == EOF) return LINE_END_OF_INPUT;
    r->line_number++;
    LineStatus status = LINE_OK;
    for (; c != EOF && c != '\n'; c = next_byte(r)) {
        if (c == '\0') status = LINE_HAS_NUL;
        if (n + 1 < LINE_BYTES) r->line[n++] = (char)c;
        else if (status == LINE_OK) status = LINE_TOO_LONG;
    }
    if (n > 0 && r->line[n - 1] == '\r') n--;
    r->line[n] = '\0';
    return status;
}

// Describes the current line for "found ...": quoted, shortened, with escapes.
static const char *found_line(const Reader *r, LineStatus status, char *out, size_t capacity) {
    if (status == LINE_END_OF_INPUT) return r->file ? "the end of the file" : "the end of the data";
    if (status == LINE_HAS_NUL) return "a line with a NUL byte (binary data?)";
    if (status == LINE_TOO_LONG) {
        snprintf(out, capacity, "a line longer than %d bytes", LINE_BYTES - 1);
        return out;
    }
    size_t n = 0;
    out[n++] = '\'';
    for (const unsigned char *p = (const unsigned char *)r->line; *p && n + 8 < capacity; p++) {
        if (p - (const unsigned char *)r->line == SHOWN_BYTES) {
            n += (size_t)snprintf(out + n, capacity - n, "...");
            break;
        }
        if (*p >= 0x20 && *p < 0x7F) out[n++] = (char)*p;
        else n += (size_t)snprintf(out + n, capacity - n, "\\x%02X", *p);
    }
    snprintf(out + n, capacity - n, "'");
    return out;
}

static void fail_on_line(Reader *r, LineStatus status, const char *field, const char *expected) {
    char shown[4 * SHOWN_BYTES + 16];
    bpe_set_error(r->error, "%s: line %d: %s: expected %s, found %s", r->name,
                  r->line_number + (status == LINE_END_OF_INPUT), field, expected,
                  found_line(r, status, shown, sizeof shown));
}

// Reads the next line that is not a comment; on a problem reports it for `field`.
static bool expect_line(Reader *r, const char *field, const char *expected) {
    LineStatus status;
    do status = next_line(r);
    while (status == LINE_OK && r->line[0] == '#');
    if (status != LINE_OK) fail_on_line(r, status, field, expected);
    return status == LINE_OK;
}

// ---------------------------------------------------------------------------------
// Reading: the fields

// Reads a decimal number of at most 9 digits at *cursor and moves past it.
static bool parse_number(const char **cursor, long *value) {
    const char *p = *cursor;
    long v = 0;
    while (*p >= '0' && *p <= '9' && p - *cursor < 9) v = 10 * v + (*p++ - '0');
    if (p == *cursor || (*p >= '0' && *p <= '9')) return false;
    *cursor = p;
    *value = v;
    return true;
}

static bool read_magic(Reader *r) {
    char expected[64], version_expected[64];
    snprintf(expected, sizeof expected, "'%s %d'", MAGIC, FORMAT_VERSION);
    snprintf(version_expected, sizeof version_expected, "format version %d (this program reads no other)",
             FORMAT_VERSION);
    if (!expect_line(r, "magic", expected)) return false;
    const char *p = r->line;
    long version;
    if (strncmp(p, MAGIC " ", strlen(MAGIC) + 1) != 0) {
        fail_on_line(r, LINE_OK, "magic", expected);
        return false;
    }
    p += strlen(MAGIC) + 1;
    if (!parse_number(&p, &version) || *p != '\0' || version != FORMAT_VERSION) {
        fail_on_line(r, LINE_OK, "version", version_expected);
        return false;
    }
    return true;
}

// A line "<keyword> <number>" with the number in [min, max].
static bool read_field(Reader *r, const char *keyword, long min, long max, long *value) {
    char expected[96];
    snprintf(expected, sizeof expected, "'%s N' with N from %ld to %ld", keyword, min, max);
    if (!expect_line(r, keyword, expected)) return false;
    size_t n = strlen(keyword);
    const char *p = r->line + n + 1;
    bool ok = strncmp(r->line, keyword, n) == 0 && r->line[n] == ' ' && parse_number(&p, value) && *p == '\0' &&
              *value >= min && *value <= max;
    if (!ok) fail_on_line(r, LINE_OK, keyword, expected);
    return ok;
}

// Merge line k: "<left id> <right id>", then optionally a space and a comment.
static bool read_merge(Reader *r, Bpe *bpe, int k, int n_merges) {
    char field[64], reason[BPE_ERROR_SIZE / 2];
    snprintf(field, sizeof field, "merge %d of %d", k, n_merges);
    const char *expected = "'<left id> <right id>'";
    if (!expect_line(r, field, expected)) return false;
    const char *p = r->line;
    long left, right;
    if (!parse_number(&p, &left) || *p++ != ' ' || !parse_number(&p, &right) || (*p != '\0' && *p != ' ')) {
        fail_on_line(r, LINE_OK, field, expected);
        return false;
    }
    if (!bpe_add_merge(bpe, (int)left, (int)right, reason, sizeof reason)) {
        bpe_set_error(r->error, "%s: line %d: %s: %s", r->name, r->line_number, field, reason);
        return false;
    }
    return true;
}

static bool read_end(Reader *r) {
    const char *expected = "'end' after the last merge";
    if (!expect_line(r, "end", expected)) return false;
    if (strcmp(r->line, "end") == 0) return true;
    fail_on_line(r, LINE_OK, "end", expected);
    return false;
}

// Everything from the magic line to "end".
static Bpe *read_vocabulary(Reader *r) {
    long lowercase, n_merges;
    if (!read_magic(r) || !read_field(r, "lowercase", 0, 1, &lowercase) ||
        !read_field(r, "merges", 0, BPE_MAX_MERGES, &n_merges))
        return NULL;
    Bpe *bpe = bpe_new_base(lowercase == 1);
    if (bpe == NULL) {
        bpe_set_error(r->error, "%s: out of memory while reading the vocabulary", r->name);
        return NULL;
    }
    for (int k = 0; k < n_merges; k++) {
        if (!read_merge(r, bpe, k, (int)n_merges)) {
            bpe_free(bpe);
            return NULL;
        }
    }
    if (!read_end(r)) {
        bpe_free(bpe);
        return NULL;
    }
    return bpe;
}

// After "end" a whole file or buffer must be over.
static Bpe *expect_nothing_after(Reader *r, Bpe *bpe) {
    if (bpe == NULL || next_byte(r) == EOF) return bpe;
    bpe_set_error(r->error, "%s: line %d: end: expected nothing after 'end', found more %s", r->name,
                  r->line_number + 1, r->file ? "lines in the file" : "data");
    bpe_free(bpe);
    return NULL;
}

Bpe *bpe_read(FILE *file, const char *name, BpeError *error) {
    Reader r = {.name = name, .file = file, .error = error};
    return read_vocabulary(&r);
}

Bpe *bpe_deserialize(const char *data, size_t size, const char *name, BpeError *error) {
    Reader r = {.name = name, .data = data, .size = data ? size : 0, .error = error};
    return expect_nothing_after(&r, read_vocabulary(&r));
}

// Only a regular file: /dev/zero, say, is one endless line.
Bpe *bpe_load(const char *path, BpeError *error) {
    long size;
    char why[BPE_ERROR_SIZE / 2];
    FILE *file = open_input_file(path, "the vocabulary", &size, why, sizeof why);
    if (file == NULL) {
        bpe_set_error(error, "%s", why);
        return NULL;
    }
    Reader r = {.name = path, .file = file, .error = error};
    Bpe *bpe = expect_nothing_after(&r, read_vocabulary(&r));
    fclose(file);
    return bpe;
}
