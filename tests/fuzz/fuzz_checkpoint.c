// Checkpoint cases: a seed checkpoint, mutated knowing its layout (docs/checkpoint_format.md),
// then read by a command. The declared size and the CRC are mostly made right again, so
// that the damage reaches the parser instead of stopping at the CRC.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/io/crc32.h"
#include "tests/fuzz/fuzz.h"

enum { MAX_FIELDS = 600, PAYLOAD_LENGTH_AT = 80 };

typedef struct Field {
    size_t offset;
    int width;         // 4 or 8 bytes
    const char *name;  // "config.d_model", "a parameter dimension", ...
} Field;

typedef struct Layout {
    Field fields[MAX_FIELDS];
    int n;
    size_t values;     // where the parameter values start (0: not reached)
} Layout;

static uint64_t get_le(const unsigned char *at, int width) {
    uint64_t v = 0;
    for (int k = width - 1; k >= 0; k--) v = v << 8 | at[k];
    return v;
}

static void put_le_bytes(unsigned char *at, uint64_t v, int width) {
    for (int k = 0; k < width; k++) at[k] = (unsigned char)(v >> (8 * k));
}

static bool add_field(Layout *l, size_t n, size_t *at, int width, const char *name) {
    if (*at + (size_t)width > n || l->n == MAX_FIELDS) return false;
    l->fields[l->n++] = (Field){*at, width, name};
    *at += (size_t)width;
    return true;
}

// Skips `len` bytes of a string, which must lie inside the file.
static bool skip(size_t n, size_t *at, uint64_t len) {
    if (len > n - *at) return false;
    *at += (size_t)len;
    return true;
}

// The label names and the parameter table, as far as they make sense.
static void find_table_fields(Layout *l, const unsigned char *b, size_t n, size_t at) {
    size_t start = at;
    if (!add_field(l, n, &at, 4, "the label count")) return;
    uint64_t labels = get_le(b + start, 4);
    for (uint64_t i = 0; i < labels && i < 64; i++) {
        size_t len_at = at;
        if (!add_field(l, n, &at, 4, "a label name length") || !skip(n, &at, get_le(b + len_at, 4))) return;
    }
    size_t count_at = at;
    if (!add_field(l, n, &at, 4, "the parameter count")) return;
    uint64_t params = get_le(b + count_at, 4);
    for (uint64_t i = 0; i < params && i < 200; i++) {
        size_t len_at = at, ndim_at;
        if (!add_field(l, n, &at, 4, "a parameter name length") || !skip(n, &at, get_le(b + len_at, 4))) return;
        ndim_at = at;
        if (!add_field(l, n, &at, 4, "a parameter's dimensions")) return;
        uint64_t ndim = get_le(b + ndim_at, 4);
        for (uint64_t d = 0; d < ndim && d < 4; d++)
            if (!add_field(l, n, &at, 4, "a parameter dimension")) return;
        if (!add_field(l, n, &at, 8, "a parameter offset")) return;
    }
    if (add_field(l, n, &at, 8, "the parameter total")) l->values = at;
}

static void find_fields(Layout *l, const unsigned char *b, size_t n) {
    static const char *const fixed[] = {
        "version", "config.n_layers", "config.d_model", "config.n_heads", "config.d_ff", "config.n_ctx",
        "config.vocab_size", "config.activation", "config.dropout", "head.task", "head.n_outputs", "head.combine",
        "head.regression", "tokenizer.kind", "tokenizer.n_text_tokens", "tokenizer.n_task_tokens",
        "tokenizer.payload_length"};
    memset(l, 0, sizeof *l);
    size_t at = 8;
    add_field(l, n, &at, 4, fixed[0]);
    add_field(l, n, &at, 8, "the file size");
    for (int i = 1; i < 17; i++)
        if (!add_field(l, n, &at, 4, fixed[i])) return;
    if (!skip(n, &at, get_le(b + PAYLOAD_LENGTH_AT, 4))) return;
    if (add_field(l, n, &at, 8, "state.step") && add_field(l, n, &at, 8, "state.data_rng") &&
        add_field(l, n, &at, 8, "state.dropout_rng"))
        find_table_fields(l, b, n, at);
}

static uint64_t extreme_value(Case *c, uint64_t old, int width) {
    static const uint64_t u32[] = {0, 1, 2, 3, 4, 255, 256, 16384, 16385, 65535, 65536, 65537, 1u << 29,
                                   0x7FFFFFFF, 0x80000000, 0xFFFFFFFF};
    static const uint64_t u64[] = {0, 1, 1ull << 31, 1ull << 32, 1ull << 62, 1ull << 63, ~0ull};
    switch (pick(c, 4)) {
    case 0: return old + 1;
    case 1: return old - 1;
    case 2: return width == 4 ? u32[pick(c, sizeof u32 / sizeof *u32)] : u64[pick(c, sizeof u64 / sizeof *u64)];
    default: return old * 2 + (uint64_t)pick(c, 3);
    }
}

static void edit_one_field(Case *c, unsigned char *b, const Field *f) {
    uint64_t old = get_le(b + f->offset, f->width), v;
    if (strcmp(f->name, "config.dropout") == 0) {
        static const uint32_t floats[] = {0x7FC00000, 0x7F800000, 0xFF800000, 0x80000000, 0x3F800000, 0x3F7FFFFF,
                                          0xBF800000, 0x00000001};
        v = floats[pick(c, 8)];
    } else {
        v = extreme_value(c, old, f->width);
    }
    put_le_bytes(b + f->offset, v, f->width);
    case_note(c, "%s at %zu: %llu -> %llu", f->name, f->offset, (unsigned long long)old, (unsigned long long)v);
}

// One field anywhere, or 2 to 4 sizes of the config at once (overflows need several).
static void edit_fields(Case *c, unsigned char *b, const Layout *l) {
    if (l->n == 0) return;
    if (l->n < 10 || chance(c, 0.7)) {
        edit_one_field(c, b, &l->fields[pick(c, l->n)]);
        return;
    }
    int k = 2 + pick(c, 3);
    for (int i = 0; i < k; i++) edit_one_field(c, b, &l->fields[2 + pick(c, 6)]);  // n_layers .. vocab_size
}

// The first class name written once more, and counted: more names than outputs.
static void repeat_a_label(Case *c, unsigned char **b, size_t *n, const Layout *l) {
    const Field *count = NULL, *first = NULL;
    for (int i = 0; i < l->n && first == NULL; i++) {
        if (strcmp(l->fields[i].name, "the label count") == 0) count = &l->fields[i];
        else if (count != NULL && strcmp(l->fields[i].name, "a label name length") == 0) first = &l->fields[i];
    }
    if (first == NULL) return;
    size_t len = 4 + get_le(*b + first->offset, 4), at = first->offset;
    unsigned char *out = malloc(*n + len);
    memcpy(out, *b, at + len);
    memcpy(out + at + len, *b + at, *n - at);
    put_le_bytes(out + count->offset, get_le(*b + count->offset, 4) + 1, 4);
    free(*b);
    *b = out;
    *n += len;
    case_note(c, "the first class name repeated");
}

// A NaN or an infinity among the weights: saving refuses them, loading must too.
static void poison_a_value(Case *c, unsigned char *b, size_t n, const Layout *l) {
    if (l->values == 0 || l->values + 8 > n) return;
    size_t count = (n - 4 - l->values) / 4, at = l->values + 4 * (size_t)pick(c, (int)(count > 0 ? count : 1));
    static const uint32_t bits[] = {0x7FC00000, 0x7F800000, 0xFF800000, 0x7F7FFFFF};
    uint32_t v = bits[pick(c, 4)];
    put_le_bytes(b + at, v, 4);
    case_note(c, "the value at %zu set to 0x%08x", at, v);
}

static void flip_bits(Case *c, unsigned char *b, size_t n) {
    int k = 1 + pick(c, 8);
    for (int i = 0; i < k && n > 0; i++) b[pick(c, (int)n)] ^= (unsigned char)(1u << pick(c, 8));
    case_note(c, "%d bits flipped", k);
}

// The tokenizer's payload (a chars table, a BPE vocabulary as text), mutated as text, with
// its length field following it.
static void mutate_payload(Case *c, unsigned char **b, size_t *n) {
    if (*n < 88) return;
    size_t len = get_le(*b + PAYLOAD_LENGTH_AT, 4);
    if (len > *n - 84) return;
    unsigned char *payload = malloc(len + 1);
    memcpy(payload, *b + 84, len);
    size_t new_len = len;
    mutate_text(c, &payload, &new_len);
    unsigned char *out = malloc(*n - len + new_len);
    memcpy(out, *b, 84);
    memcpy(out + 84, payload, new_len);
    memcpy(out + 84 + new_len, *b + 84 + len, *n - 84 - len);
    if (chance(c, 0.8)) put_le_bytes(out + PAYLOAD_LENGTH_AT, new_len, 4);
    free(payload);
    free(*b);
    *b = out;
    *n = *n - len + new_len;
    case_note(c, "the tokenizer payload mutated (%zu -> %zu bytes)", len, new_len);
}

// The header's size and the final CRC made right for the bytes as they now are.
static void fix_size_and_crc(unsigned char *b, size_t n) {
    if (n >= 20) put_le_bytes(b + 12, n, 8);
    if (n >= 24) put_le_bytes(b + n - 4, crc32_update(0, b, n - 4), 4);
}

static void mutate_checkpoint(Case *c, unsigned char **b, size_t *n) {
    Layout *layout = malloc(sizeof *layout);
    find_fields(layout, *b, *n);
    int how = pick(c, 11);
    if (how < 4) edit_fields(c, *b, layout);
    else if (how == 4) flip_bits(c, *b, *n);
    else if (how == 10) repeat_a_label(c, b, n, layout);
    else if (how == 5) poison_a_value(c, *b, *n, layout);
    else if (how == 6) mutate_payload(c, b, n);
    else mutate_text(c, b, n);  // cut, inserted, deleted, repeated
    free(layout);
    if (chance(c, 0.85)) fix_size_and_crc(*b, *n);
    else case_note(c, "size and CRC left as they were");
}

void make_checkpoint_case(Case *c, const Seeds *seeds) {
    const char *sources[8] = {seeds->lm, seeds->lm_chars, seeds->lm_bpe, seeds->task_ckpt[0], seeds->task_ckpt[1],
                              seeds->task_ckpt[2], seeds->task_ckpt[3], seeds->task_ckpt[4]};
    int source = pick(c, 8), task = source >= 3 ? source - 3 : -1;
    size_t n;
    unsigned char *bytes = read_bytes(sources[source], &n);
    if (bytes == NULL) {
        fprintf(stderr, "fuzz: cannot read %s\n", sources[source]);
        exit(2);
    }
    c->kind = "checkpoint";
    case_note(c, "%s", strrchr(sources[source], '/') + 1);
    int rounds = chance(c, 0.8) ? 1 : 2;
    for (int i = 0; i < rounds; i++) mutate_checkpoint(c, &bytes, &n);
    const char *path = case_path(c, "input.ckpt");
    write_bytes(path, bytes, n);
    free(bytes);
    static const char *const language[] = {"inspect", "sample", "eval", "attention", "graph", "resume", "finetune"};
    static const char *const tasks[] = {"inspect", "eval-task", "predict", "sample"};
    const char *command = task >= 0 && chance(c, 0.7) ? tasks[pick(c, 4)] : language[pick(c, 7)];
    base_command(c, seeds, command, task >= 0 ? task : 0);
    case_set_option(c, strcmp(command, "resume") == 0 ? "--resume" : "--ckpt", path);
    case_note(c, "read by %s", command);
}
