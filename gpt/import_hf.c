// A Hugging Face folder: model.safetensors, config.json and the tokenizer's files.
// Each tensor is read from its place in the file straight into its parameter.
#include <stdlib.h>
#include <string.h>

#include "gpt/gpt1_names.h"
#include "gpt/import_internal.h"
#include "gpt/io/float_file.h"
#include "gpt/io/input_file.h"
#include "gpt/io/printable.h"
#include "gpt/io/safetensors.h"
#include "gpt/io/small_file.h"
#include "gpt/tokenizer/bpe.h"
#include "gpt/tokenizer/gpt1_vocab.h"

// What config.json says (openai-gpt's names).
typedef struct HfConfig {
    int64_t n_embd, n_layer, n_head, n_positions, vocab_size;
    Activation activation;
    float dropout;
    char tokenizer[16];   // "gpt1c_tokenizer", written by gpt export: bytes, chars, bpe or gpt1
} HfConfig;

static bool config_integer(Importer *im, const Json *json, const char *key, int64_t *value, const char *path) {
    const JsonNode *v = json_member(json, json_root(json), key);
    if (v != NULL && v->type == JSON_NUMBER && v->is_integer && v->integer >= 0 && v->integer <= INT32_MAX) {
        *value = v->integer;
        return true;
    }
    snprintf(im->error, im->error_len, "%s: %s: expected an integer from 0 to 2^31 - 1, found %s", path, key,
             v == NULL ? "nothing" : json_type_name(v->type));
    return false;
}

static bool config_options(Importer *im, const Json *json, HfConfig *c, const char *path) {
    const JsonNode *root = json_root(json), *afn = json_member(json, root, "afn");
    const JsonNode *drop = json_member(json, root, "resid_pdrop"), *eps = json_member(json, root, "layer_norm_epsilon");
    const JsonNode *special = json_member(json, root, "n_special"), *tok = json_member(json, root, "gpt1c_tokenizer");
    const char *a = afn != NULL && afn->type == JSON_STRING ? json_string(json, afn, NULL) : "gelu";
    const char *t = tok != NULL && tok->type == JSON_STRING ? json_string(json, tok, NULL) : "";
    c->activation = strcmp(a, "relu") == 0 ? ACTIVATION_RELU : ACTIVATION_GELU;
    c->dropout = drop != NULL && drop->type == JSON_NUMBER ? (float)drop->number : 0.1f;
    const char *problem = NULL;
    if (strcmp(a, "gelu") != 0 && strcmp(a, "gelu_new") != 0 && strcmp(a, "relu") != 0)
        problem = "afn: expected \"gelu\" (the tanh form) or \"relu\"";
    else if (drop != NULL && (drop->type != JSON_NUMBER || !(drop->number >= 0 && drop->number < 1)))
        problem = "resid_pdrop: expected a number in [0, 1)";
    else if (eps != NULL && (eps->type != JSON_NUMBER || eps->number != 1e-5))
        problem = "layer_norm_epsilon: expected 1e-05, the epsilon of gpt1.c's LayerNorm";
    else if (special != NULL && !(special->type == JSON_NUMBER && special->is_integer && special->integer == 0))
        problem = "n_special: expected 0 (special tokens are gpt1.c's task tokens, added by fine-tuning)";
    else if (tok != NULL && (tok->type != JSON_STRING || strlen(t) >= sizeof c->tokenizer))
        problem = "gpt1c_tokenizer: expected bytes, chars, bpe or gpt1";
    if (problem != NULL) snprintf(im->error, im->error_len, "%s: %s", path, problem);
    else snprintf(c->tokenizer, sizeof c->tokenizer, "%s", t);
    return problem == NULL;
}

static bool read_hf_config(Importer *im, HfConfig *c) {
    Json json;
    char path[4096];
    if (!import_read_json(im, "config.json", &json, path)) return false;
    bool ok = json_root(&json)->type == JSON_OBJECT;
    if (!ok) snprintf(im->error, im->error_len, "%s: expected a JSON object", path);
    ok = ok && config_integer(im, &json, "n_embd", &c->n_embd, path) &&
         config_integer(im, &json, "n_layer", &c->n_layer, path) &&
         config_integer(im, &json, "n_head", &c->n_head, path) &&
         config_integer(im, &json, "n_positions", &c->n_positions, path) &&
         config_integer(im, &json, "vocab_size", &c->vocab_size, path) && config_options(im, &json, c, path);
    json_free(&json);
    return ok;
}

// The tensors of the file by their place in the release's order; the mask buffers are
// counted and left out, lm_head.weight is kept aside.
typedef struct Tensors {
    const SafetensorsEntry **by_index;
    int count;                          // release_array_count(n_layer)
    const SafetensorsEntry *lm_head;
} Tensors;

static bool map_entry(Importer *im, const SafetensorsEntry *e, Tensors *t, const char *path) {
    char name[64];
    int index;
    const char *gpt1_name = strncmp(e->name, "transformer.", 12) == 0 ? e->name + 12 : e->name;
    if (hf_is_mask_buffer(e->name)) {
        im->report->n_ignored++;
        return true;
    }
    bool head = strcmp(gpt1_name, "lm_head.weight") == 0 || strcmp(e->name, "lm_head.weight") == 0;
    const char *problem = NULL;
    if (!head && !hf_to_gpt1_name(e->name, name, sizeof name, &index))
        problem = "not a GPT-1 parameter (tokens_embed, positions_embed, h.L.attn.c_attn.weight, ...)";
    else if (strcmp(e->dtype, "F32") != 0)
        problem = "dtype: expected F32";
    else if (!head && index >= t->count)
        problem = "a block beyond config.json's n_layer";
    else if (head ? t->lm_head != NULL : t->by_index[index] != NULL)
        problem = "given twice (with and without \"transformer.\"?)";
    if (problem != NULL) {
        char shown[PRINTABLE_SIZE];
        snprintf(im->error, im->error_len, "%s: tensor \"%s\": %s", path, printable(e->name, strlen(e->name), 64, shown,
                 sizeof shown), problem);
        return false;
    }
    if (head) t->lm_head = e;
    else t->by_index[index] = e;
    return true;
}

// Every array there with the shape the configuration gives it (the release's without its leading 1).
static bool check_tensors(Importer *im, const Tensors *t, const GptConfig *config, const char *path) {
    for (int i = 0; i < t->count; i++) {
        char name[64], hf[80];
        int64_t shape[4];
        int ndim;
        release_array(config, i, name, sizeof name, shape, &ndim);
        int64_t *want = ndim == 3 ? shape + 1 : shape;
        int want_ndim = ndim == 3 ? 2 : ndim;
        gpt1_to_hf_name(name, hf, sizeof hf);
        const SafetensorsEntry *e = t->by_index[i];
        if (e == NULL) {
            snprintf(im->error, im->error_len, "%s: no tensor \"%s\" (gpt1.c's %s)", path, hf, name);
            return false;
        }
        if (e->ndim != want_ndim || memcmp(e->shape, want, sizeof(int64_t) * (size_t)want_ndim) != 0) {
            char expected[64], found[64];
            import_shape_text(want, want_ndim, expected, sizeof expected);
            import_shape_text(e->shape, e->ndim, found, sizeof found);
            snprintf(im->error, im->error_len, "%s: tensor \"%s\": shape: expected %s (config.json and the other "
                     "tensors), found %s", path, e->name, expected, found);
            return false;
        }
    }
    return true;
}

// The configuration: config.json's sizes, d_ff from h.0.mlp.c_fc.weight [d, d_ff].
static bool hf_model_config(Importer *im, const HfConfig *c, const Tensors *t, GptConfig *config, const char *path) {
    const SafetensorsEntry *fc = t->by_index[2 + 6];
    if (fc == NULL || fc->ndim != 2) {
        snprintf(im->error, im->error_len, "%s: expected a tensor \"h.0.mlp.c_fc.weight\" of shape [n_embd, d_ff]", path);
        return false;
    }
    int heads = (int)c->n_head;
    if (im->options->heads > 0 && im->options->heads != heads) {
        snprintf(im->error, im->error_len, "%s/config.json: n_head is %d, --heads says %d", im->dir, heads,
                 im->options->heads);
        return false;
    }
    int64_t sizes[5] = {c->n_layer, c->n_embd, fc->shape[1], c->n_positions, c->vocab_size};
    return import_config(im, "config.json", sizes, heads, c->activation, c->dropout, config) &&
           check_tensors(im, t, config, path);
}

static bool read_tensor(FILE *file, const Safetensors *st, const SafetensorsEntry *e, float *values) {
    return fseek(file, (long)(st->data_start + e->begin), SEEK_SET) == 0 && read_floats_le(file, values, e->count);
}

// A tied output layer, when the file has one, must be the token embedding bit for bit.
static bool check_tied_head(Importer *im, FILE *file, const Safetensors *st, const Tensors *t, const Gpt *model,
                            const char *path) {
    const SafetensorsEntry *head = t->lm_head;
    if (head == NULL) return true;
    const Tensor *wte = parameter_find(&model->params, "wte.weight");
    if (head->ndim != 2 || head->shape[0] != wte->shape.dims[0] || head->shape[1] != wte->shape.dims[1]) {
        snprintf(im->error, im->error_len, "%s: tensor \"%s\": expected the shape of tokens_embed.weight", path, head->name);
        return false;
    }
    float *values = malloc(sizeof(float) * head->count);
    bool no_memory = values == NULL, ok = !no_memory && read_tensor(file, st, head, values);
    long differs = -1;
    for (long i = 0; ok && i < wte->size && differs < 0; i++)
        if (memcmp(&values[i], &wte->data[i], sizeof(float)) != 0) differs = i;
    free(values);
    if (!ok) snprintf(im->error, im->error_len, "%s: cannot read \"%s\"%s", path, head->name,
                      no_memory ? " (out of memory)" : "");
    else if (differs >= 0)
        snprintf(im->error, im->error_len, "%s: \"%s\" differs from tokens_embed.weight at element %ld: gpt1.c ties "
                 "the output layer to the token embedding, as GPT-1 does", path, head->name, differs);
    im->report->tied_head_checked = ok && differs < 0;
    return ok && differs < 0;
}

static Gpt *load_weights(Importer *im, FILE *file, const Safetensors *st, const Tensors *t, const GptConfig *config,
                         const char *path) {
    Gpt *model = gpt_create(config);
    bool ok = true;
    for (int i = 0; ok && i < t->count; i++) {
        char name[64];
        int64_t shape[4];
        int ndim;
        release_array(config, i, name, sizeof name, shape, &ndim);
        ok = read_tensor(file, st, t->by_index[i], parameter_find(&model->params, name)->data);
        if (!ok) snprintf(im->error, im->error_len, "%s: cannot read \"%s\" (the file changed?)", path, t->by_index[i]->name);
        im->report->n_arrays += ok;
    }
    if (ok && check_tied_head(im, file, st, t, model, path) && import_check_finite(im, model, path)) return model;
    gpt_free(model);
    return NULL;
}

// vocab.json + merges.txt, or the tokenizer gpt export wrote for a model of another kind.
static bool hf_tokenizer(Importer *im, const char *kind, Tokenizer *tokenizer) {
    char vocab[4096], merges[4096], other[4096];
    if (!import_path(im, "vocab.json", vocab) || !import_path(im, "merges.txt", merges)) return false;
    if (file_exists(vocab) || file_exists(merges) || strcmp(kind, "gpt1") == 0 || kind[0] == '\0') {
        Gpt1Vocab *v = gpt1_vocab_load(im->dir, im->error, im->error_len);
        if (v != NULL) tokenizer_init_gpt1(tokenizer, v);
        return v != NULL;
    }
    if (strcmp(kind, "bytes") == 0) {
        tokenizer_init_bytes(tokenizer);
        return true;
    }
    if (strcmp(kind, "bpe") == 0) {
        BpeError error;
        Bpe *bpe = import_path(im, "vocab.bpe", other) ? bpe_load(other, &error) : NULL;
        if (bpe == NULL) snprintf(im->error, im->error_len, "%s", error.message);
        else tokenizer_init_bpe(tokenizer, bpe);
        return bpe != NULL;
    }
    size_t len;
    char *bytes = strcmp(kind, "chars") == 0 && import_path(im, "chars.txt", other)
                      ? read_small_file(other, 256, &len, im->error, im->error_len) : NULL;
    char why[256];
    bool ok = bytes != NULL && tokenizer_from_payload(tokenizer, TOKENIZER_CHARS, (int)len, 0, (unsigned char *)bytes,
                                                      len, why, sizeof why);
    if (bytes != NULL && !ok) snprintf(im->error, im->error_len, "%s: %s", other, why);
    if (bytes == NULL && strcmp(kind, "chars") != 0)
        snprintf(im->error, im->error_len, "%s/config.json: gpt1c_tokenizer: expected bytes, chars, bpe or gpt1, found "
                 "\"%s\"", im->dir, kind);
    free(bytes);
    return ok;
}

Gpt *import_hugging_face(Importer *im, Tokenizer *tokenizer) {
    char path[4096];
    HfConfig c;
    if (!import_path(im, "model.safetensors", path) || !read_hf_config(im, &c)) return NULL;
    long size;
    FILE *file = open_input_file(path, "", &size, im->error, im->error_len);
    if (file == NULL) return NULL;
    Safetensors st;
    Tensors t = {.count = c.n_layer >= 1 && c.n_layer <= IMPORT_MAX_LAYERS ? release_array_count((int)c.n_layer) : 0};
    GptConfig config;
    bool ok = safetensors_read_header(file, path, file_size_of(file), &st, im->error, im->error_len);
    if (ok && t.count == 0)
        ok = false, snprintf(im->error, im->error_len, "%s/config.json: n_layer: expected 1 to %d", im->dir, IMPORT_MAX_LAYERS);
    t.by_index = ok ? calloc((size_t)t.count, sizeof *t.by_index) : NULL;
    if (ok && t.by_index == NULL) ok = false, snprintf(im->error, im->error_len, "%s: out of memory", path);
    for (int i = 0; ok && i < st.count; i++) ok = map_entry(im, &st.entries[i], &t, path);
    ok = ok && hf_model_config(im, &c, &t, &config, path) && hf_tokenizer(im, c.tokenizer, tokenizer);
    if (ok && tokenizer_vocab_size(tokenizer) != config.vocab_size) {
        snprintf(im->error, im->error_len, "%s: the tokenizer has %d tokens, config.json's vocab_size is %d", im->dir,
                 tokenizer_vocab_size(tokenizer), config.vocab_size);
        tokenizer_free(tokenizer);
        ok = false;
    }
    Gpt *model = ok ? load_weights(im, file, &st, &t, &config, path) : NULL;
    if (ok && model == NULL) tokenizer_free(tokenizer);
    im->report->n_files = 1;
    free(t.by_index);
    if (st.entries != NULL) safetensors_free(&st);
    fclose(file);
    return model;
}
