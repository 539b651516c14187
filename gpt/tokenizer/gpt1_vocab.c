// GPT-1's vocabulary files, read strictly, and the tables the encoder uses.
//
//   encoder_bpe_40000.json / vocab.json:  {".": 1, ",": 2, "t": 3, ..., "\n</w>": 40477, "<unk>": 0}
//       every id from 0 to n - 1 exactly once; tokens of 1 to 255 bytes
//   vocab_40000.bpe / merges.txt:         "#version: 0.2", then "t h", "i n", "e d</w>", ...
//       merge k (from 0) is line k + 2; two symbols and one space; no pair twice
//
// The release reads the merges with read().split('\n')[1:-1]: the first line is a
// header whatever it says, and the text after the last newline is dropped. Here the
// header must start with "#version" and a last line without a newline still counts.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/io/json.h"
#include "gpt/io/printable.h"
#include "gpt/io/small_file.h"
#include "gpt/tokenizer/gpt1_internal.h"

enum { MAX_FILE_BYTES = 64 << 20 };

typedef struct Problem {
    char *error;
    size_t error_len;
} Problem;

static bool vocab_out_of_memory(Problem *p, const char *name) {
    snprintf(p->error, p->error_len, "%s: out of memory", name);
    return false;
}

// The symbol index of bytes, added when new (its id 0 until a token claims it); -1: out of memory.
static int symbol_add(Gpt1Vocab *v, const char *bytes, size_t length) {
    bool added;
    int index = word_map_find_or_add(&v->symbols, (const unsigned char *)bytes, (int)length, &added);
    if (index < 0) return -1;
    if (added) {
        int *grown = bpe_grow(v->symbol_id, &v->symbol_id_capacity, (size_t)index + 1, sizeof *grown);
        if (grown == NULL) return -1;
        v->symbol_id = grown;
        v->symbol_id[index] = 0;
    }
    return index;
}

static bool utf8_valid(const char *s, size_t n) {
    for (size_t at = 0, length; at < n; at += length) {
        uint32_t code;
        length = bpe_utf8_decode((const unsigned char *)s + at, n - at, &code);
        if (length == 0) return false;
    }
    return true;
}

// One member of the encoder: "token": id.
static bool add_encoder_token(Gpt1Vocab *v, const Json *json, const JsonNode *member, Problem *p) {
    size_t length;
    const char *token = json_key(json, member, &length);
    int n = v->n_tokens;
    const char *what = NULL;
    if (length == 0 || length > GPT1_MAX_TOKEN_BYTES) what = "a token of 1 to 255 bytes";
    else if (member->type != JSON_NUMBER || !member->is_integer) what = "an integer id";
    else if (member->integer < 0 || member->integer >= n) what = "an id from 0 to the number of tokens - 1";
    char shown[PRINTABLE_SIZE];
    printable(token, length, 40, shown, sizeof shown);
    if (what != NULL) {
        snprintf(p->error, p->error_len, "%s: line %d, column %d: token \"%s\": expected %s (%d tokens)", json->name,
                 member->line, member->column, shown, what, n);
        return false;
    }
    int id = (int)member->integer;
    if (v->token_symbol[id] >= 0) {
        snprintf(p->error, p->error_len, "%s: line %d, column %d: id %d is given to two tokens, the second \"%s\"",
                 json->name, member->line, member->column, id, shown);
        return false;
    }
    int symbol = symbol_add(v, token, length);
    if (symbol < 0) return vocab_out_of_memory(p, json->name);
    v->token_symbol[id] = symbol;
    v->symbol_id[symbol] = id;
    return true;
}

static bool read_encoder(Gpt1Vocab *v, const char *text, size_t len, const char *name, Problem *p) {
    Json json;
    if (!json_parse(&json, name, text, len, p->error, p->error_len)) return false;
    const JsonNode *root = json_root(&json);
    bool ok = root->type == JSON_OBJECT && root->n_children > 0 && root->n_children <= GPT1_MAX_TOKENS;
    if (!ok)
        snprintf(p->error, p->error_len, "%s: expected an object of 1 to %d \"token\": id members, found %s", name,
                 GPT1_MAX_TOKENS, root->type == JSON_OBJECT ? "an empty or larger object" : json_type_name(root->type));
    if (ok) {
        v->n_tokens = root->n_children;
        v->token_symbol = malloc(sizeof(int) * (size_t)v->n_tokens);
        ok = v->token_symbol != NULL;
        if (!ok) snprintf(p->error, p->error_len, "%s: out of memory", name);
    }
    for (int i = 0; ok && i < v->n_tokens; i++) v->token_symbol[i] = -1;
    for (const JsonNode *m = ok ? json_first(&json, root) : NULL; ok && m != NULL; m = json_next(&json, m))
        ok = add_encoder_token(v, &json, m, p);
    json_free(&json);
    return ok;  // n members with distinct ids in [0, n): every id is there
}

// The three arrays by rank grow together; every realloc that succeeds is kept.
static bool grow_merges(Gpt1Vocab *v) {
    if ((size_t)v->n_merges < v->merges_capacity) return true;
    size_t capacity = v->merges_capacity ? 2 * v->merges_capacity : 1024;
    int *left = realloc(v->merge_left, sizeof *left * capacity);
    if (left != NULL) v->merge_left = left;
    int *right = realloc(v->merge_right, sizeof *right * capacity);
    if (right != NULL) v->merge_right = right;
    int *result = realloc(v->merge_result, sizeof *result * capacity);
    if (result != NULL) v->merge_result = result;
    if (left == NULL || right == NULL || result == NULL) return false;
    v->merges_capacity = capacity;
    return true;
}

// Merge line `line`: "left right".
static bool add_merge(Gpt1Vocab *v, const char *s, size_t n, int line, const char *name, Problem *p) {
    const char *space = memchr(s, ' ', n);
    size_t left_n = space ? (size_t)(space - s) : 0, right_n = space ? n - left_n - 1 : 0;
    bool shape_ok = space != NULL && left_n > 0 && right_n > 0 && memchr(space + 1, ' ', right_n) == NULL &&
                    memchr(s, '\t', n) == NULL && left_n + right_n <= GPT1_MAX_TOKEN_BYTES && utf8_valid(s, n);
    char shown[PRINTABLE_SIZE];
    printable(s, n, 60, shown, sizeof shown);
    if (!shape_ok) {
        snprintf(p->error, p->error_len, "%s: line %d: expected 'left right' (two symbols of valid UTF-8, one space "
                 "between, together at most %d bytes), found '%s'", name, line, GPT1_MAX_TOKEN_BYTES, shown);
        return false;
    }
    char joined[GPT1_MAX_TOKEN_BYTES];
    memcpy(joined, s, left_n);
    memcpy(joined + left_n, space + 1, right_n);
    int left = symbol_add(v, s, left_n), right = symbol_add(v, space + 1, right_n);
    int result = symbol_add(v, joined, left_n + right_n);
    if (left < 0 || right < 0 || result < 0) return vocab_out_of_memory(p, name);
    int earlier = pair_map_get(&v->merge_rank, left, right);
    if (earlier >= 0) {
        snprintf(p->error, p->error_len, "%s: line %d: the merge '%s' repeats line %d", name, line, shown, earlier + 2);
        return false;
    }
    int k = v->n_merges;
    if (!grow_merges(v) || !pair_map_put(&v->merge_rank, left, right, k))
        return vocab_out_of_memory(p, name);
    v->merge_left[k] = left, v->merge_right[k] = right, v->merge_result[k] = result;
    v->n_merges++;
    return true;
}

static bool read_merges(Gpt1Vocab *v, const char *text, size_t len, const char *name, Problem *p) {
    if (len < 8 || memcmp(text, "#version", 8) != 0) {
        char shown[PRINTABLE_SIZE];
        snprintf(p->error, p->error_len, "%s: line 1: expected a first line '#version: 0.2', found '%s'", name,
                 printable(text, strcspn(text, "\n"), 20, shown, sizeof shown));
        return false;
    }
    const char *end = text + len, *line = memchr(text, '\n', len);
    line = line ? line + 1 : end;
    for (int number = 2; line < end; number++) {
        const char *newline = memchr(line, '\n', (size_t)(end - line));
        const char *line_end = newline ? newline : end;
        size_t n = (size_t)(line_end - line);
        if (n > 0 && line[n - 1] == '\r') n--;
        if (v->n_merges == GPT1_MAX_MERGES) {
            snprintf(p->error, p->error_len, "%s: line %d: more than %d merges", name, number, GPT1_MAX_MERGES);
            return false;
        }
        if (!add_merge(v, line, n, number, name, p)) return false;
        line = newline ? newline + 1 : end;
    }
    return true;
}

static Gpt1Vocab *vocab_new(void) {
    Gpt1Vocab *v = calloc(1, sizeof *v);
    if (v != NULL && (v->cache = word_cache_new()) == NULL) {
        free(v);
        return NULL;
    }
    return v;
}

Gpt1Vocab *gpt1_vocab_parse(const char *encoder, size_t encoder_len, const char *encoder_name, const char *merges,
                            size_t merges_len, const char *merges_name, char *error, size_t error_len) {
    Problem p = {error, error_len};
    Gpt1Vocab *v = vocab_new();
    if (v == NULL) {
        snprintf(error, error_len, "%s: out of memory", encoder_name);
        return NULL;
    }
    if (!read_encoder(v, encoder, encoder_len, encoder_name, &p) || !read_merges(v, merges, merges_len, merges_name, &p)) {
        gpt1_vocab_free(v);
        return NULL;
    }
    v->newline_id = gpt1_token_id(v, "\n</w>", 5);
    if (v->newline_id < 0) v->newline_id = 0;
    return v;
}

// The release's names, or else Hugging Face's.
static bool vocabulary_paths(const char *dir, char *encoder, char *merges, size_t size, char *error, size_t error_len) {
    static const char *const names[][2] = {{"encoder_bpe_40000.json", "vocab_40000.bpe"}, {"vocab.json", "merges.txt"}};
    for (int i = 0; i < 2; i++) {
        if (!join_path(encoder, size, dir, names[i][0]) || !join_path(merges, size, dir, names[i][1])) break;
        if (file_exists(encoder) || file_exists(merges)) return true;  // a missing partner is reported when read
    }
    snprintf(error, error_len, "%s: no GPT-1 vocabulary here: expected encoder_bpe_40000.json and vocab_40000.bpe "
             "(the release) or vocab.json and merges.txt (Hugging Face)", dir);
    return false;
}

Gpt1Vocab *gpt1_vocab_load(const char *dir, char *error, size_t error_len) {
    char encoder_path[4096], merges_path[4096];
    if (!vocabulary_paths(dir, encoder_path, merges_path, sizeof encoder_path, error, error_len)) return NULL;
    size_t encoder_len = 0, merges_len = 0;
    char *encoder = read_small_file(encoder_path, MAX_FILE_BYTES, &encoder_len, error, error_len);
    char *merges = encoder ? read_small_file(merges_path, MAX_FILE_BYTES, &merges_len, error, error_len) : NULL;
    Gpt1Vocab *v = merges ? gpt1_vocab_parse(encoder, encoder_len, encoder_path, merges, merges_len, merges_path,
                                             error, error_len)
                          : NULL;
    free(encoder);
    free(merges);
    return v;
}

void gpt1_vocab_free(Gpt1Vocab *v) {
    if (v == NULL) return;
    word_map_free(&v->symbols);
    free(v->symbol_id);
    free(v->token_symbol);
    pair_map_free(&v->merge_rank);
    free(v->merge_left);
    free(v->merge_right);
    free(v->merge_result);
    word_cache_free(v->cache);
    free(v);
}

Gpt1Vocab *gpt1_vocab_copy(const Gpt1Vocab *vocab) {
    size_t encoder_len, merges_len;
    char *encoder = gpt1_vocab_json(vocab, &encoder_len), *merges = gpt1_merges_text(vocab, &merges_len);
    char error[JSON_ERROR_SIZE];
    Gpt1Vocab *copy = encoder && merges ? gpt1_vocab_parse(encoder, encoder_len, "copy", merges, merges_len, "copy",
                                                           error, sizeof error)
                                        : NULL;
    free(encoder);
    free(merges);
    return copy;
}

int gpt1_vocab_size(const Gpt1Vocab *vocab) { return vocab->n_tokens; }
int gpt1_merge_count(const Gpt1Vocab *vocab) { return vocab->n_merges; }
int gpt1_newline_id(const Gpt1Vocab *vocab) { return vocab->newline_id; }

const char *gpt1_token_text(const Gpt1Vocab *v, int id, size_t *length) {
    if (id < 0 || id >= v->n_tokens) return NULL;
    int symbol = v->token_symbol[id];
    *length = v->symbols.key_length[symbol];
    return (const char *)v->symbols.bytes + v->symbols.key_start[symbol];
}

int gpt1_token_id(const Gpt1Vocab *v, const char *text, size_t length) {
    int symbol = gpt1_symbol_find(v, text, length);
    if (symbol < 0) return -1;
    int id = v->symbol_id[symbol];
    return v->token_symbol[id] == symbol ? id : -1;  // id 0 also stands for "not a token"
}

char *gpt1_vocab_json(const Gpt1Vocab *v, size_t *len) {
    size_t capacity = 3;  // each token: escaped (6 bytes a byte at most), quotes, ": id, "
    for (int id = 0; id < v->n_tokens; id++) capacity += 6 * (size_t)v->symbols.key_length[v->token_symbol[id]] + 20;
    char *out = malloc(capacity);
    if (out == NULL) return NULL;
    size_t n = 0;
    out[n++] = '{';
    for (int id = 0; id < v->n_tokens; id++) {
        size_t length;
        const char *token = gpt1_token_text(v, id, &length);
        n += json_escape_string(out + n, token, length);
        n += (size_t)sprintf(out + n, id + 1 < v->n_tokens ? ": %d, " : ": %d", id);
    }
    out[n++] = '}';
    out[n] = '\0';
    *len = n;
    return out;
}

char *gpt1_merges_text(const Gpt1Vocab *v, size_t *len) {
    static const char header[] = "#version: 0.2\n";
    size_t capacity = sizeof header + (size_t)v->n_merges * (GPT1_MAX_TOKEN_BYTES + 2);
    char *out = malloc(capacity);
    if (out == NULL) return NULL;
    size_t n = strlen(header);
    memcpy(out, header, n);
    for (int k = 0; k < v->n_merges; k++) {
        int sides[2] = {v->merge_left[k], v->merge_right[k]};
        for (int s = 0; s < 2; s++) {
            size_t length = v->symbols.key_length[sides[s]];
            memcpy(out + n, v->symbols.bytes + v->symbols.key_start[sides[s]], length);
            n += length;
            out[n++] = s == 0 ? ' ' : '\n';
        }
    }
    out[n] = '\0';
    *len = n;
    return out;
}
