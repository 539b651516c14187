// A case's arguments, files and notes, and the text mutations the kinds share.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"

void case_init(Case *c, int index, uint64_t seed, const char *base_dir, const char *gpt) {
    memset(c, 0, sizeof *c);
    c->index = index;
    // a case's numbers depend on the seed and its own number only, not on the others
    rng_seed(&c->rng, seed ^ (0x9E3779B97F4A7C15ull * (uint64_t)(index + 1)));
    snprintf(c->dir, sizeof c->dir, "%s/case%d", base_dir, index);
    case_arg(c, gpt);
}

static char *keep_string(Case *c, const char *text) {
    size_t n = strlen(text) + 1;
    if (c->used + n > sizeof c->strings) {
        fprintf(stderr, "fuzz: case %d: the arguments are too long\n", c->index);
        exit(2);
    }
    char *kept = memcpy(c->strings + c->used, text, n);
    c->used += n;
    return kept;
}

void case_arg(Case *c, const char *arg) {
    if (c->argc == FUZZ_MAX_ARGS) {
        fprintf(stderr, "fuzz: case %d: more than %d arguments\n", c->index, FUZZ_MAX_ARGS);
        exit(2);
    }
    c->argv[c->argc++] = keep_string(c, arg);
    c->argv[c->argc] = NULL;
}

void case_args(Case *c, const char *args) {
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", args);
    for (char *word = strtok(copy, " "); word != NULL; word = strtok(NULL, " ")) case_arg(c, word);
}

const char *case_path(Case *c, const char *name) {
    char path[2 * FUZZ_PATH];
    snprintf(path, sizeof path, "%s/%s", c->dir, name);
    return keep_string(c, path);
}

void case_note(Case *c, const char *format, ...) {
    size_t used = strlen(c->what);
    if (used > 0 && used + 2 < sizeof c->what) used += (size_t)snprintf(c->what + used, sizeof c->what - used, "; ");
    va_list args;
    va_start(args, format);
    vsnprintf(c->what + used, sizeof c->what - used, format, args);
    va_end(args);
}

void case_set_option(Case *c, const char *flag, const char *value) {
    for (int i = 1; i + 1 < c->argc; i++)
        if (strcmp(c->argv[i], flag) == 0) {
            c->argv[i + 1] = keep_string(c, value);
            return;
        }
    case_arg(c, flag);
    case_arg(c, value);
}

bool write_bytes(const char *path, const void *bytes, size_t n) {
    FILE *f = fopen(path, "wb");
    if (f == NULL) return false;
    bool ok = fwrite(bytes, 1, n, f) == n;
    return fclose(f) == 0 && ok;
}

unsigned char *read_bytes(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    size_t capacity = 1 << 16, used = 0, got;
    unsigned char *bytes = malloc(capacity);
    while (bytes != NULL && (got = fread(bytes + used, 1, capacity - used, f)) > 0) {
        used += got;
        if (used == capacity) {
            unsigned char *bigger = realloc(bytes, capacity *= 2);
            if (bigger == NULL) free(bytes);
            bytes = bigger;
        }
    }
    fclose(f);
    *n = used;
    return bytes;
}

int pick(Case *c, int n) { return rng_below(&c->rng, n); }
bool chance(Case *c, double p) { return rng_uniform(&c->rng) < p; }

// Room for `extra` more bytes.
static unsigned char *grown(unsigned char *bytes, size_t n, size_t extra) {
    unsigned char *bigger = realloc(bytes, n + extra + 1);
    if (bigger == NULL) {
        fprintf(stderr, "fuzz: out of memory\n");
        exit(2);
    }
    return bigger;
}

// The bytes that make readers trip: NUL, line breaks, separators, quotes, bytes of UTF-8.
static unsigned char tricky_byte(Case *c) {
    static const unsigned char tricky[] = {0, '\n', '\r', '\t', ',', '"', '#', ' ', 0xEF, 0xBB, 0xBF, 0xFF, 0x80, '\\'};
    return chance(c, 0.7) ? tricky[pick(c, sizeof tricky)] : (unsigned char)pick(c, 256);
}

void mutate_text(Case *c, unsigned char **bytes, size_t *n) {
    size_t at = *n > 0 ? (size_t)pick(c, (int)*n) : 0;
    switch (pick(c, 6)) {
    case 0:  // one byte replaced
        if (*n > 0) (*bytes)[at] = tricky_byte(c);
        case_note(c, "byte %zu replaced", at);
        break;
    case 1: {  // a few bytes inserted
        int k = 1 + pick(c, 4);
        *bytes = grown(*bytes, *n, (size_t)k);
        memmove(*bytes + at + k, *bytes + at, *n - at);
        for (int i = 0; i < k; i++) (*bytes)[at + (size_t)i] = tricky_byte(c);
        *n += (size_t)k;
        case_note(c, "%d bytes inserted at %zu", k, at);
        break;
    }
    case 2: {  // a range deleted
        size_t k = *n - at < 40 ? *n - at : (size_t)pick(c, 40);
        memmove(*bytes + at, *bytes + at + k, *n - at - k);
        *n -= k;
        case_note(c, "%zu bytes deleted at %zu", k, at);
        break;
    }
    case 3:  // cut short
        *n = at;
        case_note(c, "cut to %zu bytes", at);
        break;
    case 4: {  // a long run of one byte: blank lines, a huge field
        size_t k = (size_t)(chance(c, 0.5) ? 20000 : 1 + pick(c, 300));
        unsigned char byte = chance(c, 0.5) ? '\n' : (unsigned char)"x\t,\"0"[pick(c, 5)];
        *bytes = grown(*bytes, *n, k);
        memmove(*bytes + at + k, *bytes + at, *n - at);
        memset(*bytes + at, byte, k);
        *n += k;
        case_note(c, "%zu bytes 0x%02x inserted at %zu", k, byte, at);
        break;
    }
    default: {  // the beginning repeated at the end
        size_t k = at;
        *bytes = grown(*bytes, *n, k);
        memmove(*bytes + *n, *bytes, k);
        *n += k;
        case_note(c, "the first %zu bytes repeated at the end", k);
        break;
    }
    }
}
