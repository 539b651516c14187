// The original release: params_shapes.json, params_N.npy, encoder_bpe_40000.json and
// vocab_40000.bpe. The release's train.py reads it as
//
//     shapes = json.load(open('model/params_shapes.json'))
//     offsets = np.cumsum([np.prod(shape) for shape in shapes])
//     init_params = [np.load('model/params_{}.npy'.format(n)) for n in range(10)]
//     init_params = np.split(np.concatenate(init_params, 0), offsets)[:-1]
//     init_params = [param.reshape(shape) for param, shape in zip(init_params, shapes)]
//
// Here the shards are streamed into the parameters in that order, one array after the
// other, so no second copy of the 116.5 M floats is ever made.
#include <stdlib.h>
#include <string.h>

#include "gpt/gpt1_names.h"
#include "gpt/import_internal.h"
#include "gpt/io/float_file.h"
#include "gpt/io/input_file.h"
#include "gpt/io/npy.h"
#include "gpt/io/small_file.h"
#include "gpt/tokenizer/gpt1_vocab.h"

enum { MAX_SHARDS = 1000, MAX_ARRAY_DIMS = 4 };

typedef struct Shapes {
    int count;
    int ndim[2 + BLOCK_ARRAYS * IMPORT_MAX_LAYERS];
    int64_t dims[2 + BLOCK_ARRAYS * IMPORT_MAX_LAYERS][MAX_ARRAY_DIMS];
} Shapes;

static bool read_shape(Importer *im, const Json *json, const JsonNode *array, int index, Shapes *s, const char *path) {
    bool ok = array->type == JSON_ARRAY && array->n_children >= 1 && array->n_children <= MAX_ARRAY_DIMS;
    int d = 0;
    for (const JsonNode *c = ok ? json_first(json, array) : NULL; c != NULL; c = json_next(json, c), d++) {
        ok = ok && c->type == JSON_NUMBER && c->is_integer && c->integer >= 1 && c->integer <= (1 << 30);
        s->dims[index][d] = ok ? c->integer : 0;
    }
    s->ndim[index] = d;
    if (!ok)
        snprintf(im->error, im->error_len, "%s: array %d: expected a shape of 1 to 4 sizes from 1 to 2^30, such as "
                 "[768] or [1, 768, 2304]", path, index);
    return ok;
}

static bool read_shapes(Importer *im, Shapes *s, char *path) {
    Json json;
    if (!import_read_json(im, "params_shapes.json", &json, path)) return false;
    const JsonNode *root = json_root(&json);
    int n = root->type == JSON_ARRAY ? root->n_children : 0;
    bool ok = n >= 14 && (n - 2) % BLOCK_ARRAYS == 0 && n <= 2 + BLOCK_ARRAYS * IMPORT_MAX_LAYERS;
    if (!ok)
        snprintf(im->error, im->error_len, "%s: expected an array of 2 + 12·n_layers shapes (positions, tokens, then 12 "
                 "per block, n_layers 1 to %d), found %s of %d", path, IMPORT_MAX_LAYERS,
                 json_type_name(root->type), n);
    s->count = 0;
    for (const JsonNode *c = ok ? json_first(&json, root) : NULL; ok && c != NULL; c = json_next(&json, c))
        ok = read_shape(im, &json, c, s->count++, s, path);
    json_free(&json);
    return ok;
}

// The configuration from the sizes of positions [n_ctx, d], tokens [V, d] and the first
// block's c_fc weight [1, d, d_ff]; then every shape must be the one it implies.
static bool config_from_shapes(Importer *im, const Shapes *s, const char *path, GptConfig *config) {
    static const struct { int index, ndim; const char *what; } key[] = {
        {0, 2, "positions [n_ctx, d_model]"}, {1, 2, "tokens [vocab, d_model]"}, {8, 3, "block 0's c_fc weight [1, d_model, d_ff]"}};
    for (int k = 0; k < 3; k++)
        if (s->ndim[key[k].index] != key[k].ndim) {
            snprintf(im->error, im->error_len, "%s: array %d: expected the %s", path, key[k].index, key[k].what);
            return false;
        }
    int64_t sizes[5] = {(s->count - 2) / BLOCK_ARRAYS, s->dims[0][1], s->dims[8][2], s->dims[0][0], s->dims[1][0]};
    int heads = im->options->heads > 0 ? im->options->heads : 12;
    if (!import_config(im, path, sizes, heads, ACTIVATION_GELU, 0.1f, config)) return false;
    for (int i = 0; i < s->count; i++) {
        char name[64], expected[64], found[64];
        int64_t shape[4];
        int ndim;
        release_array(config, i, name, sizeof name, shape, &ndim);
        if (ndim == s->ndim[i] && memcmp(shape, s->dims[i], sizeof(int64_t) * (size_t)ndim) == 0) continue;
        import_shape_text(shape, ndim, expected, sizeof expected);
        import_shape_text(s->dims[i], s->ndim[i], found, sizeof found);
        snprintf(im->error, im->error_len, "%s: array %d (%s): expected %s, found %s", path, i, name, expected, found);
        return false;
    }
    return true;
}

typedef struct Shards {
    int count;
    uint64_t floats[MAX_SHARDS], offset[MAX_SHARDS];  // each shard's floats and where they start
    uint64_t total;
} Shards;

// The headers of params_0.npy, params_1.npy, ... (as many as there are): their floats
// must add up to what the shapes need.
static bool read_shard_headers(Importer *im, Shards *shards, uint64_t needed) {
    char path[4096], name[32];
    memset(shards, 0, sizeof *shards);
    for (int k = 0; k < MAX_SHARDS; k++) {
        snprintf(name, sizeof name, "params_%d.npy", k);
        if (!import_path(im, name, path)) return false;
        if (!file_exists(path)) break;
        long size;
        FILE *file = open_input_file(path, "", &size, im->error, im->error_len);
        NpyHeader header;
        bool ok = file != NULL && npy_read_header(file, path, file_size_of(file), &header, im->error, im->error_len);
        if (file != NULL) fclose(file);
        if (!ok) return false;
        if (header.count > needed - shards->total) {  // also keeps the sum from overflowing
            snprintf(im->error, im->error_len, "%s: params_0.npy to params_%d.npy hold more than the %llu floats that "
                     "params_shapes.json needs (shards of another model?)", im->dir, k, (unsigned long long)needed);
            return false;
        }
        shards->floats[k] = header.count, shards->offset[k] = header.data_offset;
        shards->total += header.count;
        shards->count++;
    }
    if (shards->count > 0 && shards->total == needed) return true;
    snprintf(im->error, im->error_len, "%s: params_0.npy to params_%d.npy hold %llu floats, params_shapes.json needs "
             "%llu (a shard missing, or shards of another model?)", im->dir, shards->count - 1,
             (unsigned long long)shards->total, (unsigned long long)needed);
    if (shards->count == 0) snprintf(im->error, im->error_len, "%s: no params_0.npy", im->dir);
    return false;
}

// Fills the parameters in the release's order, moving from shard to shard as they end.
static bool stream_shards(Importer *im, const Shards *shards, Gpt *model) {
    FILE *file = NULL;
    int shard = -1;
    uint64_t left = 0;  // floats left in the open shard
    bool ok = true;
    for (int i = 0; ok && i < release_array_count(model->config.n_layers); i++) {
        char name[64];
        int64_t shape[4];
        int ndim;
        release_array(&model->config, i, name, sizeof name, shape, &ndim);
        Tensor *t = parameter_find(&model->params, name);
        for (uint64_t done = 0; ok && done < (uint64_t)t->size;) {
            while (ok && left == 0) {
                char path[4096], file_name[32];
                if (file != NULL) fclose(file);
                snprintf(file_name, sizeof file_name, "params_%d.npy", ++shard);
                long size;
                ok = import_path(im, file_name, path) &&
                     (file = open_input_file(path, "", &size, im->error, im->error_len)) != NULL &&
                     fseek(file, (long)shards->offset[shard], SEEK_SET) == 0;
                left = shards->floats[shard];
            }
            uint64_t n = (uint64_t)t->size - done < left ? (uint64_t)t->size - done : left;
            ok = ok && read_floats_le(file, t->data + done, n);
            done += n, left -= n;
        }
        im->report->n_arrays += ok;
    }
    if (file != NULL) fclose(file);
    if (!ok) snprintf(im->error, im->error_len, "%s: params_%d.npy: cannot read the floats (the file changed?)", im->dir, shard);
    return ok;
}

Gpt *import_release(Importer *im, Tokenizer *tokenizer) {
    char path[4096];
    Shapes *shapes = malloc(sizeof *shapes);
    if (shapes == NULL) snprintf(im->error, im->error_len, "%s: out of memory for the shapes", im->dir);
    GptConfig config;
    Shards shards;
    bool ok = shapes != NULL && read_shapes(im, shapes, path) && config_from_shapes(im, shapes, path, &config) &&
              read_shard_headers(im, &shards, (uint64_t)config_parameter_count(&config));
    free(shapes);
    Gpt1Vocab *vocab = ok ? gpt1_vocab_load(im->dir, im->error, im->error_len) : NULL;
    if (vocab != NULL && gpt1_vocab_size(vocab) != config.vocab_size) {
        snprintf(im->error, im->error_len, "%s: the encoder has %d tokens, the token embedding %d rows", im->dir,
                 gpt1_vocab_size(vocab), config.vocab_size);
        gpt1_vocab_free(vocab);
        vocab = NULL;
    }
    if (vocab == NULL) return NULL;
    Gpt *model = gpt_create(&config);
    im->report->n_files = shards.count;
    if (!stream_shards(im, &shards, model) || !import_check_finite(im, model, "params_*.npy")) {
        gpt_free(model);
        gpt1_vocab_free(vocab);
        return NULL;
    }
    tokenizer_init_gpt1(tokenizer, vocab);
    return model;
}
