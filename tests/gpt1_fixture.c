// mkdir, rmdir and nftw-free cleaning are POSIX.
#define _POSIX_C_SOURCE 200809L

#include "tests/gpt1_fixture.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gpt/io/float_file.h"
#include "gpt/io/npy.h"
#include "gpt/io/safetensors.h"

// Ids by position: <unk>, then each character alone and with </w>, the newline token,
// then what the merges make, in rank order.
static const char *const MERGES[][2] = {
    {"t", "h"}, {"th", "e</w>"}, {"i", "s</w>"}, {"d", "o</w>"}, {"n", "'"}, {"n'", "t</w>"}, {"'", "s</w>"},
    {"c", "a"}, {"ca", "t</w>"}, {"a", "a"}, {"a", "a</w>"}, {"m", "r"}, {"mr", ".</w>"}, {".", "."}, {"..", ".</w>"},
};
enum { N_MERGES = sizeof MERGES / sizeof *MERGES };
static const char CHARACTERS[] = "abcdefghijklmnopqrstuvwxyz.,'!?\"-():$0123456789";

static char encoder[8192], merges[1024];
static int vocab_size;

static void fixture_add_token(size_t *n, const char *token) {
    if (vocab_size > 0) *n += (size_t)snprintf(encoder + *n, sizeof encoder - *n, ", ");
    char escaped[32];
    size_t e = 0;
    for (const char *c = token; *c; c++) {
        if (*c == '"' || *c == '\\') escaped[e++] = '\\';
        if (*c == '\n') escaped[e++] = '\\', escaped[e++] = 'n';
        else escaped[e++] = *c;
    }
    escaped[e] = '\0';
    *n += (size_t)snprintf(encoder + *n, sizeof encoder - *n, "\"%s\": %d", escaped, vocab_size++);
}

static void build(void) {
    if (vocab_size > 0) return;
    size_t n = (size_t)snprintf(encoder, sizeof encoder, "{");
    fixture_add_token(&n, "<unk>");
    for (const char *c = CHARACTERS; *c; c++) {
        char alone[2] = {*c, 0}, last[8];
        snprintf(last, sizeof last, "%c</w>", *c);
        fixture_add_token(&n, alone);
        fixture_add_token(&n, last);
    }
    fixture_add_token(&n, "\n</w>");
    size_t m = (size_t)snprintf(merges, sizeof merges, "#version: 0.2\n");
    for (int k = 0; k < N_MERGES; k++) {
        char joined[32];
        snprintf(joined, sizeof joined, "%s%s", MERGES[k][0], MERGES[k][1]);
        fixture_add_token(&n, joined);
        m += (size_t)snprintf(merges + m, sizeof merges - m, "%s %s\n", MERGES[k][0], MERGES[k][1]);
    }
    snprintf(encoder + n, sizeof encoder - n, "}");
}

const char *fixture_encoder_json(void) { return build(), encoder; }
const char *fixture_merges(void) { return build(), merges; }
int fixture_vocab_size(void) { return build(), vocab_size; }

void write_text_file(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

void remove_directory(const char *dir) {
    char command[4200];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(command), 0);
}

static void path_in(char *out, size_t size, const char *dir, const char *name) { snprintf(out, size, "%s/%s", dir, name); }

void write_fixture_vocab(const char *dir, bool hugging_face_names) {
    char path[4096];
    build();
    mkdir(dir, 0777);
    path_in(path, sizeof path, dir, hugging_face_names ? "vocab.json" : "encoder_bpe_40000.json");
    write_text_file(path, encoder);
    path_in(path, sizeof path, dir, hugging_face_names ? "merges.txt" : "vocab_40000.bpe");
    write_text_file(path, merges);
}

Gpt *fixture_model(const GptConfig *config, unsigned long long seed) {
    Gpt *model = gpt_create(config);
    Rng rng;
    rng_seed(&rng, seed);
    for (long i = 0; i < model->params.total; i++) model->params.data[i] = rng_normal(&rng, 0.0f, 0.3f);
    return model;
}

// The release's arrays in its order, by hand: positions, tokens, then per block.
static const char *const BLOCK[] = {"attn.c_attn.weight", "attn.c_attn.bias", "attn.c_proj.weight", "attn.c_proj.bias",
                                    "ln_1.weight", "ln_1.bias", "mlp.c_fc.weight", "mlp.c_fc.bias",
                                    "mlp.c_proj.weight", "mlp.c_proj.bias", "ln_2.weight", "ln_2.bias"};

static const Tensor *release_tensor(const Gpt *model, int index) {
    char name[64];
    if (index < 2) return parameter_find(&model->params, index == 0 ? "wpe.weight" : "wte.weight");
    snprintf(name, sizeof name, "blocks.%d.%s", (index - 2) / 12, BLOCK[(index - 2) % 12]);
    return parameter_find(&model->params, name);
}

void write_release_weights(const char *dir, const Gpt *model, int n_shards) {
    char path[4096];
    mkdir(dir, 0777);
    int count = 2 + 12 * model->config.n_layers;
    float *flat = malloc(sizeof(float) * (size_t)model->params.total);
    long at = 0;
    path_in(path, sizeof path, dir, "params_shapes.json");
    FILE *shapes = fopen(path, "w");
    fprintf(shapes, "[");
    for (int i = 0; i < count; i++) {
        const Tensor *t = release_tensor(model, i);
        bool weight = t->shape.ndim == 2 && i >= 2;  // the blocks' weights are [1, in, out]
        fprintf(shapes, "%s[%s%d", i ? ", " : "", weight ? "1, " : "", t->shape.dims[0]);
        if (t->shape.ndim == 2) fprintf(shapes, ", %d", t->shape.dims[1]);
        fprintf(shapes, "]");
        memcpy(flat + at, t->data, sizeof(float) * (size_t)t->size);
        at += t->size;
    }
    fprintf(shapes, "]");
    fclose(shapes);
    for (int k = 0; k < n_shards; k++) {  // uneven pieces: the first is a third of an even share
        long start = k == 0 ? 0 : at * (3 * k - 2) / (3 * n_shards), end = at * (3 * k + 1) / (3 * n_shards);
        if (k == n_shards - 1) end = at;
        char name[32];
        snprintf(name, sizeof name, "params_%d.npy", k);
        path_in(path, sizeof path, dir, name);
        FILE *f = fopen(path, "wb");
        int64_t shape[1] = {end - start};
        ck_assert(npy_write_header(f, shape, 1) && write_floats_le(f, flat + start, (uint64_t)(end - start)));
        fclose(f);
    }
    free(flat);
}

void write_hugging_face_weights(const char *dir, const Gpt *model) {
    char path[4096];
    mkdir(dir, 0777);
    const ParameterTable *p = &model->params;
    int n = 0, n_ctx = model->config.n_ctx;
    SafetensorsTensor *tensors = calloc((size_t)(p->count + model->config.n_layers + 1), sizeof *tensors);
    char (*names)[96] = calloc((size_t)(p->count + model->config.n_layers + 1), sizeof *names);
    float *mask = calloc((size_t)n_ctx * (size_t)n_ctx, sizeof *mask);
    for (int r = 0; r < n_ctx; r++)
        for (int c = 0; c <= r; c++) mask[r * n_ctx + c] = 1.0f;
    for (int i = p->count - 1; i >= 0; i--, n++) {  // reversed: the order must not matter
        const Tensor *t = &p->items[i]->tensor;
        if (strcmp(t->name, "wte.weight") == 0) snprintf(names[n], sizeof names[n], "transformer.tokens_embed.weight");
        else if (strcmp(t->name, "wpe.weight") == 0) snprintf(names[n], sizeof names[n], "transformer.positions_embed.weight");
        else snprintf(names[n], sizeof names[n], "transformer.h.%s", t->name + strlen("blocks."));
        tensors[n] = (SafetensorsTensor){.name = names[n], .ndim = t->shape.ndim, .data = t->data};
        for (int d = 0; d < t->shape.ndim; d++) tensors[n].shape[d] = t->shape.dims[d];
    }
    for (int l = 0; l < model->config.n_layers; l++, n++) {
        snprintf(names[n], sizeof names[n], "transformer.h.%d.attn.bias", l);
        tensors[n] = (SafetensorsTensor){.name = names[n], .ndim = 4, .shape = {1, 1, n_ctx, n_ctx}, .data = mask};
    }
    const Tensor *wte = parameter_find(&model->params, "wte.weight");
    tensors[n++] = (SafetensorsTensor){.name = "lm_head.weight", .ndim = 2, .shape = {wte->shape.dims[0], wte->shape.dims[1]},
                                       .data = wte->data};
    path_in(path, sizeof path, dir, "model.safetensors");
    FILE *f = fopen(path, "wb");
    ck_assert(safetensors_write(f, tensors, n));
    fclose(f);
    free(tensors), free(names), free(mask);
    const GptConfig *c = &model->config;
    path_in(path, sizeof path, dir, "config.json");
    f = fopen(path, "w");
    fprintf(f, "{\"afn\": \"gelu\", \"n_embd\": %d, \"n_head\": %d, \"n_layer\": %d, \"n_positions\": %d, "
               "\"vocab_size\": %d, \"resid_pdrop\": 0.1, \"layer_norm_epsilon\": 1e-05, \"n_special\": 0}\n",
            c->d_model, c->n_heads, c->n_layers, c->n_ctx, c->vocab_size);
    fclose(f);
}

bool same_weights(const Gpt *a, const Gpt *b) {
    return a->params.total == b->params.total &&
           memcmp(a->params.data, b->params.data, sizeof(float) * (size_t)a->params.total) == 0;
}
