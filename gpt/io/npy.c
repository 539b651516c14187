#include "gpt/io/npy.h"

#include <string.h>

#include "gpt/io/printable.h"

static const int64_t MAX_DIM = (int64_t)1 << 40;

typedef struct Header {
    const char *text;
    size_t len, at;
    const char *name;
    char *error;
    size_t error_len;
    bool failed;
} Header;

static bool header_fail(Header *h, const char *expected) {
    if (!h->failed) {
        char shown[PRINTABLE_SIZE];
        printable(h->text + h->at, h->at < h->len ? h->len - h->at : 0, 24, shown, sizeof shown);
        snprintf(h->error, h->error_len, "%s: header: expected %s, found '%s'", h->name, expected, shown);
    }
    h->failed = true;
    return false;
}

static void skip_spaces(Header *h) {
    while (h->at < h->len && h->text[h->at] == ' ') h->at++;
}

static bool accept(Header *h, char c) {
    skip_spaces(h);
    if (h->at < h->len && h->text[h->at] == c) {
        h->at++;
        return true;
    }
    return false;
}

// A Python string literal in quotes ' or " without escapes, into out (at most size - 1 bytes).
static bool python_string(Header *h, char *out, size_t size) {
    skip_spaces(h);
    char quote = h->at < h->len ? h->text[h->at] : 0;
    if (quote != '\'' && quote != '"') return header_fail(h, "a quoted string");
    size_t start = ++h->at;
    while (h->at < h->len && h->text[h->at] != quote && h->text[h->at] != '\\') h->at++;
    if (h->at >= h->len || h->text[h->at] != quote || h->at - start >= size) {
        h->at = start - 1;
        return header_fail(h, "a short quoted string without escapes");
    }
    memcpy(out, h->text + start, h->at - start);
    out[h->at - start] = '\0';
    h->at++;
    return true;
}

static bool boolean(Header *h, bool *value) {
    skip_spaces(h);
    for (int v = 0; v < 2; v++) {
        const char *word = v ? "True" : "False";
        if (h->len - h->at >= strlen(word) && memcmp(h->text + h->at, word, strlen(word)) == 0) {
            h->at += strlen(word);
            *value = v;
            return true;
        }
    }
    return header_fail(h, "True or False");
}

// A dimension: decimal digits (a Python 2 long's L allowed), at most 2^40.
static bool dimension(Header *h, int64_t *value) {
    skip_spaces(h);
    size_t start = h->at;
    int64_t v = 0;
    while (h->at < h->len && h->text[h->at] >= '0' && h->text[h->at] <= '9' && v <= MAX_DIM)
        v = 10 * v + (h->text[h->at++] - '0');
    if (h->at == start || v > MAX_DIM) {
        h->at = start;
        return header_fail(h, "a dimension from 0 to 2^40");
    }
    if (h->at < h->len && h->text[h->at] == 'L') h->at++;
    *value = v;
    return true;
}

// "()", "(5,)", "(2, 3)": the shape; the number of elements must fit in 2^62 bytes.
static bool shape(Header *h, NpyHeader *out) {
    if (!accept(h, '(')) return header_fail(h, "a shape such as (768,) or (1, 768, 2304)");
    out->ndim = 0;
    out->count = 1;
    while (!accept(h, ')')) {
        if (out->ndim == NPY_MAX_DIMS) return header_fail(h, "at most 8 dimensions");
        int64_t d = 0;
        if (!dimension(h, &d)) return false;
        if (d > 0 && out->count > ((uint64_t)1 << 60) / (uint64_t)d) return header_fail(h, "fewer than 2^60 elements");
        out->shape[out->ndim++] = d;
        out->count *= (uint64_t)d;
        if (!accept(h, ',')) {
            if (accept(h, ')')) break;
            return header_fail(h, "',' or ')' in the shape");
        }
    }
    return true;
}

// One "key: value" of the dict; seen[] records which of the three keys came.
static bool member(Header *h, NpyHeader *out, bool seen[3]) {
    char key[32], descr[32];
    if (!python_string(h, key, sizeof key)) return false;
    if (!accept(h, ':')) return header_fail(h, "':' after the key");
    static const char *const keys[] = {"descr", "fortran_order", "shape"};
    int k = 0;
    while (k < 3 && strcmp(key, keys[k]) != 0) k++;
    if (k == 3 || seen[k]) return header_fail(h, "the keys 'descr', 'fortran_order' and 'shape', each once");
    seen[k] = true;
    if (k == 0) {
        if (!python_string(h, descr, sizeof descr)) return false;
        if (strcmp(descr, "<f4") != 0) return header_fail(h, "descr '<f4' (little-endian float32)");
        return true;
    }
    if (k == 1) {
        bool fortran = true;
        if (!boolean(h, &fortran)) return false;
        return !fortran || header_fail(h, "fortran_order False (C order)");
    }
    return shape(h, out);
}

static bool parse_dict(Header *h, NpyHeader *out) {
    bool seen[3] = {false, false, false};
    if (!accept(h, '{')) return header_fail(h, "'{'");
    while (!accept(h, '}')) {
        if (!member(h, out, seen)) return false;
        if (accept(h, ',')) continue;
        skip_spaces(h);
        if (h->at >= h->len || h->text[h->at] != '}') return header_fail(h, "',' or '}' after a value");
    }
    if (!seen[0] || !seen[1] || !seen[2]) return header_fail(h, "all of 'descr', 'fortran_order' and 'shape'");
    skip_spaces(h);
    if (h->at + 1 != h->len || h->text[h->at] != '\n') return header_fail(h, "spaces and a final newline after '}'");
    return true;
}

static bool read_prefix(FILE *file, Header *h, NpyHeader *out, size_t *header_len) {
    unsigned char prefix[12];
    if (fread(prefix, 1, 10, file) != 10 || memcmp(prefix, "\x93NUMPY", 6) != 0) {
        snprintf(h->error, h->error_len, "%s: not a .npy file (no \\x93NUMPY magic)", h->name);
        return false;
    }
    out->version = prefix[6];
    if ((prefix[6] < 1 || prefix[6] > 3) || prefix[7] != 0) {
        snprintf(h->error, h->error_len, "%s: version: expected 1.0, 2.0 or 3.0, found %d.%d", h->name, prefix[6], prefix[7]);
        return false;
    }
    *header_len = (size_t)prefix[8] | (size_t)prefix[9] << 8;
    out->data_offset = 10;
    if (out->version >= 2) {
        if (fread(prefix + 10, 1, 2, file) != 2) {
            snprintf(h->error, h->error_len, "%s: truncated in the header length", h->name);
            return false;
        }
        *header_len |= (size_t)prefix[10] << 16 | (size_t)prefix[11] << 24;
        out->data_offset = 12;
    }
    return true;
}

bool npy_read_header(FILE *file, const char *name, int64_t file_size, NpyHeader *out, char *error, size_t error_len) {
    memset(out, 0, sizeof *out);
    Header h = {.name = name, .error = error, .error_len = error_len};
    size_t header_len;
    if (!read_prefix(file, &h, out, &header_len)) return false;
    char text[NPY_MAX_HEADER + 1];
    if (header_len > NPY_MAX_HEADER || fread(text, 1, header_len, file) != header_len) {
        snprintf(error, error_len, "%s: header length: expected at most %d bytes that the file holds, found %zu", name,
                 NPY_MAX_HEADER, header_len);
        return false;
    }
    h.text = text, h.len = header_len;
    if (!parse_dict(&h, out)) return false;
    out->data_offset += header_len;
    uint64_t expected = out->data_offset + 4 * out->count;
    if (file_size < 0 || (uint64_t)file_size != expected) {
        snprintf(error, error_len, "%s: %s: the shape needs %llu bytes of float32 after the %llu-byte header, the "
                 "file has %lld", name, (uint64_t)file_size < expected ? "truncated" : "wrong size",
                 (unsigned long long)(4 * out->count), (unsigned long long)out->data_offset,
                 (long long)file_size - (long long)out->data_offset);
        return false;
    }
    return true;
}

bool npy_write_header(FILE *file, const int64_t *shape, int ndim) {
    char dict[512];
    int n = snprintf(dict, sizeof dict, "{'descr': '<f4', 'fortran_order': False, 'shape': (");
    for (int i = 0; i < ndim; i++) n += snprintf(dict + n, sizeof dict - (size_t)n, i ? ", %lld" : "%lld", (long long)shape[i]);
    n += snprintf(dict + n, sizeof dict - (size_t)n, ndim == 1 ? ",), }" : "), }");
    // Spaces up to a multiple of 64 bytes with the 10-byte prefix, then "\n" (as numpy does).
    while ((10 + n + 1) % 64 != 0) dict[n++] = ' ';
    dict[n++] = '\n';
    unsigned char prefix[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(n & 0xFF), (unsigned char)(n >> 8)};
    return fwrite(prefix, 1, 10, file) == 10 && fwrite(dict, 1, (size_t)n, file) == (size_t)n;
}
