#include "gpt/import.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/import_internal.h"
#include "gpt/io/small_file.h"

enum { MAX_JSON_BYTES = 4 << 20 };

bool import_path(Importer *im, const char *name, char *out) {
    if (join_path(out, 4096, im->dir, name)) return true;
    snprintf(im->error, im->error_len, "%s: the path is too long", im->dir);
    return false;
}

bool import_read_json(Importer *im, const char *name, Json *json, char *path) {
    size_t len;
    if (!import_path(im, name, path)) return false;
    char *text = read_small_file(path, MAX_JSON_BYTES, &len, im->error, im->error_len);
    if (text == NULL) return false;
    bool ok = json_parse(json, path, text, len, im->error, im->error_len);
    free(text);
    return ok;
}

// sizes: n_layers, d_model, d_ff, n_ctx, vocab_size.
bool import_config(Importer *im, const char *source, const int64_t sizes[5], int heads, Activation activation,
                   float dropout, GptConfig *config) {
    static const char *const names[5] = {"layers", "width (d_model)", "feed-forward width (d_ff)", "context (n_ctx)",
                                         "vocabulary"};
    const int64_t limits[5] = {IMPORT_MAX_LAYERS, IMPORT_MAX_WIDTH, 4 * IMPORT_MAX_WIDTH, IMPORT_MAX_CONTEXT, 1000000};
    for (int i = 0; i < 5; i++)
        if (sizes[i] < 1 || sizes[i] > limits[i]) {
            snprintf(im->error, im->error_len, "%s: %s %lld: expected 1 to %lld", source, names[i],
                     (long long)sizes[i], (long long)limits[i]);
            return false;
        }
    *config = (GptConfig){(int)sizes[0], (int)sizes[1], heads, (int)sizes[2], (int)sizes[3], (int)sizes[4],
                          activation, dropout};
    char why[200];
    if (!config_validate(config, why, sizeof why)) {
        snprintf(im->error, im->error_len, "%s: %s", source, why);
        return false;
    }
    if (config_parameter_count(config) > IMPORT_MAX_PARAMETERS) {
        snprintf(im->error, im->error_len, "%s: %ld parameters, more than the %ld this program imports", source,
                 config_parameter_count(config), IMPORT_MAX_PARAMETERS);
        return false;
    }
    return true;
}

void import_shape_text(const int64_t *dims, int ndim, char *out, size_t size) {
    int n = snprintf(out, size, "[");
    for (int d = 0; d < ndim && n < (int)size; d++)
        n += snprintf(out + n, size - (size_t)n, d ? ", %lld" : "%lld", (long long)dims[d]);
    if (n < (int)size) snprintf(out + n, size - (size_t)n, "]");
}

bool import_check_finite(Importer *im, const Gpt *model, const char *source) {
    long at = first_non_finite(model->params.data, model->params.total);
    if (at < 0) return true;
    for (int i = 0; i < model->params.count; i++) {
        const Parameter *p = model->params.items[i];
        if (at >= p->offset && at < p->offset + p->tensor.size) {
            snprintf(im->error, im->error_len, "%s: %s holds a non-finite value (%g) at element %ld", source,
                     p->tensor.name, (double)model->params.data[at], at - p->offset);
            break;
        }
    }
    return false;
}

Gpt *gpt_import(const char *dir, const ImportOptions *options, Tokenizer *tokenizer, ImportReport *report,
                char *error, size_t error_len) {
    memset(report, 0, sizeof *report);
    memset(tokenizer, 0, sizeof *tokenizer);
    Importer im = {dir, options, report, error, error_len};
    char release[4096], hugging_face[4096];
    if (!import_path(&im, "params_shapes.json", release) || !import_path(&im, "model.safetensors", hugging_face))
        return NULL;
    if (file_exists(release)) {
        report->format = IMPORT_RELEASE;
        return import_release(&im, tokenizer);
    }
    if (file_exists(hugging_face)) {
        report->format = IMPORT_HUGGING_FACE;
        return import_hugging_face(&im, tokenizer);
    }
    snprintf(error, error_len, "%s: neither GPT-1's release (params_shapes.json and params_0.npy ...) nor a Hugging "
             "Face folder (model.safetensors and config.json)", dir);
    return NULL;
}
