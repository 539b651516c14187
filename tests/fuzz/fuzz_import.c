// Folder cases: the files gpt import reads, GPT-1's release (params_shapes.json,
// params_N.npy, encoder_bpe_40000.json, vocab_40000.bpe) and Hugging Face's
// (model.safetensors, config.json, vocab.json, merges.txt), made from the seeds and then
// damaged: a JSON number set to an extreme, a header's length field changed, bytes cut.
// mkdir is POSIX.
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gpt/checkpoint.h"
#include "gpt/gpt1_names.h"
#include "gpt/io/float_file.h"
#include "gpt/io/npy.h"
#include "tests/fuzz/fuzz.h"

// A small vocabulary in GPT-1's format: <unk>, each character alone and ending a word
// (</w>), the newline, and a few merges.
static const char CHARACTERS[] = "abcdefghijklmnopqrstuvwxyz.,'";
static const char *const MERGES[][2] = {{"t", "h"}, {"th", "e</w>"}, {"c", "a"}, {"ca", "t</w>"}, {"s", "a"}};

static void add_vocab_entry(FILE *f, int *n, const char *token) {
    fprintf(f, "%s\"%s\": %d", *n ? ", " : "{", strcmp(token, "\n</w>") == 0 ? "\\n</w>" : token, *n);
    (*n)++;
}

static bool write_gpt1_vocab(const char *dir) {
    char path[FUZZ_PATH + 32];
    snprintf(path, sizeof path, "%s/encoder_bpe_40000.json", dir);
    FILE *encoder = fopen(path, "w");
    snprintf(path, sizeof path, "%s/vocab_40000.bpe", dir);
    FILE *merges = fopen(path, "w");
    if (encoder == NULL || merges == NULL) return false;
    int n = 0;
    add_vocab_entry(encoder, &n, "<unk>");
    for (const char *c = CHARACTERS; *c; c++) {
        char alone[2] = {*c, 0}, last[8];
        snprintf(last, sizeof last, "%c</w>", *c);
        add_vocab_entry(encoder, &n, alone);
        add_vocab_entry(encoder, &n, last);
    }
    add_vocab_entry(encoder, &n, "\n</w>");
    fprintf(merges, "#version: 0.2\n");
    for (size_t k = 0; k < sizeof MERGES / sizeof *MERGES; k++) {
        char joined[32];
        snprintf(joined, sizeof joined, "%s%s", MERGES[k][0], MERGES[k][1]);
        add_vocab_entry(encoder, &n, joined);
        fprintf(merges, "%s %s\n", MERGES[k][0], MERGES[k][1]);
    }
    fprintf(encoder, "}");
    return fclose(encoder) == 0 && fclose(merges) == 0;
}

// The checkpoint's model as the release stores it: the shapes, then the values in two
// shards cut in the middle of an array.
static bool write_release_weights_of(const char *ckpt, const char *dir, char *error, size_t error_len) {
    Gpt *model = checkpoint_load(ckpt, NULL, NULL, error, error_len);
    if (model == NULL) return false;
    char path[FUZZ_PATH + 32];
    snprintf(path, sizeof path, "%s/params_shapes.json", dir);
    FILE *shapes = fopen(path, "w");
    float *flat = malloc(sizeof(float) * (size_t)model->params.total);
    long at = 0;
    bool ok = shapes != NULL && flat != NULL;
    for (int i = 0; ok && i < release_array_count(model->config.n_layers); i++) {
        char name[64];
        int64_t shape[4];
        int ndim;
        release_array(&model->config, i, name, sizeof name, shape, &ndim);
        fprintf(shapes, "%s[", i ? ", " : "[");
        for (int d = 0; d < ndim; d++) fprintf(shapes, "%s%lld", d ? ", " : "", (long long)shape[d]);
        fprintf(shapes, "]");
        const Tensor *t = parameter_find(&model->params, name);
        memcpy(flat + at, t->data, sizeof(float) * (size_t)t->size);
        at += t->size;
    }
    if (shapes != NULL) fprintf(shapes, "]"), ok = fclose(shapes) == 0 && ok;
    for (int k = 0; ok && k < 2; k++) {
        long start = k == 0 ? 0 : at / 3, end = k == 0 ? at / 3 : at;
        snprintf(path, sizeof path, "%s/params_%d.npy", dir, k);
        FILE *f = fopen(path, "wb");
        int64_t count[1] = {end - start};
        ok = f != NULL && npy_write_header(f, count, 1) && write_floats_le(f, flat + start, (uint64_t)count[0]);
        if (f != NULL) ok = fclose(f) == 0 && ok;
    }
    if (!ok) snprintf(error, error_len, "%s: cannot write the release's weights", dir);
    free(flat);
    gpt_free(model);
    return ok;
}

// Runs `gpt ARGS` for the seeds; false with a message when it fails.
static bool seed_command(const Seeds *seeds, const char *args, char *error, size_t error_len) {
    char command[4 * FUZZ_PATH];
    snprintf(command, sizeof command, "%s %s >%s/import_seed.log 2>&1", seeds->gpt, args, seeds->dir);
    if (system(command) == 0) return true;
    snprintf(error, error_len, "making the seeds: gpt %s failed (%s/import_seed.log)", args, seeds->dir);
    return false;
}

bool make_import_seeds(Seeds *seeds, char *error, size_t error_len) {
    char args[4 * FUZZ_PATH], lm[FUZZ_PATH + 32];
    snprintf(seeds->release, sizeof seeds->release, "%s/release", seeds->dir);
    snprintf(seeds->hf, sizeof seeds->hf, "%s/hf", seeds->dir);
    snprintf(seeds->hf_chars, sizeof seeds->hf_chars, "%s/hf_chars", seeds->dir);
    snprintf(lm, sizeof lm, "%s/lm_gpt1.ckpt", seeds->dir);
    if (mkdir(seeds->release, 0700) != 0 || !write_gpt1_vocab(seeds->release)) {
        snprintf(error, error_len, "%s: cannot write GPT-1's vocabulary", seeds->release);
        return false;
    }
    snprintf(args, sizeof args, "pretrain --data %s --preset nano --ctx 16 --steps 1 --batch 2 --sample-tokens 0 "
             "--quiet --tokenizer gpt1:%s --out %s", seeds->text, seeds->release, lm);
    if (!seed_command(seeds, args, error, error_len)) return false;
    snprintf(args, sizeof args, "export --ckpt %s --out %s", lm, seeds->hf);
    if (!seed_command(seeds, args, error, error_len)) return false;
    snprintf(args, sizeof args, "export --ckpt %s --out %s", seeds->lm_chars, seeds->hf_chars);
    return seed_command(seeds, args, error, error_len) &&
           write_release_weights_of(lm, seeds->release, error, error_len);
}

// --- Damage ----------------------------------------------------------------------------------

// A number of a JSON text replaced by an extreme one ("n_embd": 48 -> "n_embd": -1), or
// the text nested deeper than any reader should follow.
static void damage_json(Case *c, unsigned char **bytes, size_t *n) {
    static const char *const numbers[] = {"0", "-1", "1e308", "-0", "4294967297", "9223372036854775808",
                                          "1.5", "1e-400", "null", "\"48\"", "[]", "{}", "true", "NaN"};
    size_t digits[256];
    int count = 0;
    for (size_t i = 0; i < *n && count < 256; i++)
        if ((*bytes)[i] >= '0' && (*bytes)[i] <= '9' && (i == 0 || (*bytes)[i - 1] < '0' || (*bytes)[i - 1] > '9'))
            digits[count++] = i;
    if (count == 0 || chance(c, 0.15)) {
        size_t depth = 100000, at = *n > 0 ? (size_t)pick(c, (int)*n) : 0;
        unsigned char *deeper = malloc(*n + depth + 1);
        memcpy(deeper, *bytes, at);
        memset(deeper + at, '[', depth);
        memcpy(deeper + at + depth, *bytes + at, *n - at);
        free(*bytes);
        *bytes = deeper;
        *n += depth;
        case_note(c, "%zu '[' inserted at %zu", depth, at);
        return;
    }
    size_t at = digits[pick(c, count)], end = at;
    while (end < *n && (((*bytes)[end] >= '0' && (*bytes)[end] <= '9') || (*bytes)[end] == '.')) end++;
    const char *number = numbers[pick(c, sizeof numbers / sizeof *numbers)];
    size_t len = strlen(number);
    unsigned char *out = malloc(*n - (end - at) + len + 1);
    memcpy(out, *bytes, at);
    memcpy(out + at, number, len);
    memcpy(out + at + len, *bytes + end, *n - end);
    *n = *n - (end - at) + len;
    free(*bytes);
    *bytes = out;
    case_note(c, "the number at %zu set to %s", at, number);
}

// The 8-byte length of a safetensors header, or the 2-byte one of an .npy header.
static void damage_length_field(Case *c, unsigned char *bytes, size_t n, bool npy) {
    static const uint64_t values[] = {0, 1, 7, 0xFFFF, 1u << 31, 0xFFFFFFFFull, 1ull << 62, ~0ull};
    size_t at = npy ? 8 : 0, width = npy ? 2 : 8;
    if (n < at + width) return;
    uint64_t v = chance(c, 0.5) ? values[pick(c, 8)] : (uint64_t)(n - width - (size_t)pick(c, 16));
    for (size_t k = 0; k < width; k++) bytes[at + k] = (unsigned char)(v >> (8 * k));
    case_note(c, "the header length set to %llu", (unsigned long long)v);
}

static void damage_file(Case *c, const char *path, const char *name) {
    size_t n;
    unsigned char *bytes = read_bytes(path, &n);
    if (bytes == NULL) return;
    bool json = strstr(name, ".json") != NULL, npy = strstr(name, ".npy") != NULL;
    case_note(c, "%s", name);
    if (json && chance(c, 0.7)) damage_json(c, &bytes, &n);
    else if ((npy || strstr(name, ".safetensors")) && chance(c, 0.4)) damage_length_field(c, bytes, n, npy);
    else mutate_text(c, &bytes, &n);
    write_bytes(path, bytes, n);
    free(bytes);
}

// Copies the folder's files into the case's own folder; returns that folder.
static const char *copy_folder(Case *c, const char *from, char names[][64], int *n_names) {
    const char *to = case_path(c, "folder");
    mkdir(to, 0700);
    *n_names = 0;
    DIR *dir = opendir(from);
    for (struct dirent *e; dir != NULL && (e = readdir(dir)) != NULL && *n_names < 16;) {
        if (e->d_name[0] == '.') continue;
        char source[2 * FUZZ_PATH], target[2 * FUZZ_PATH];
        snprintf(source, sizeof source, "%s/%s", from, e->d_name);
        snprintf(target, sizeof target, "%s/%s", to, e->d_name);
        size_t n;
        unsigned char *bytes = read_bytes(source, &n);
        if (bytes != NULL) write_bytes(target, bytes, n);
        free(bytes);
        snprintf(names[(*n_names)++], 64, "%.63s", e->d_name);
    }
    if (dir != NULL) closedir(dir);
    return to;
}

void make_import_case(Case *c, const Seeds *seeds) {
    const char *sources[3] = {seeds->release, seeds->hf, seeds->hf_chars};
    char names[16][64], path[2 * FUZZ_PATH], args[4 * FUZZ_PATH];
    int source = pick(c, 3), n_names;
    c->kind = "import";
    const char *folder = copy_folder(c, sources[source], names, &n_names);
    case_note(c, "%s", strrchr(sources[source], '/') + 1);
    int rounds = n_names > 0 ? 1 + (chance(c, 0.2) ? 1 : 0) : 0;
    for (int i = 0; i < rounds; i++) {
        const char *name = names[pick(c, n_names)];
        snprintf(path, sizeof path, "%s/%s", folder, name);
        damage_file(c, path, name);
    }
    if (source != 2 && chance(c, 0.25)) {  // the vocabulary read by a command that tokenizes
        snprintf(args, sizeof args, "encode --tokenizer gpt1:%s --text", folder);
        case_args(c, args);
        case_arg(c, "the cat sat");
        c->expect.stdout_has = "";
        return;
    } else {
        snprintf(args, sizeof args, "import --from %s --out %s%s", folder, case_path(c, "imported.ckpt"),
                 chance(c, 0.2) ? " --heads 4" : "");
        c->expect.stderr_has = "checkpoint: ";
        snprintf(c->expect.file, sizeof c->expect.file, "imported.ckpt");
    }
    case_args(c, args);
}
