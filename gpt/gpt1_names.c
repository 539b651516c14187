#include "gpt/gpt1_names.h"

#include <stdio.h>
#include <string.h>

static const char *const BLOCK_NAMES[BLOCK_ARRAYS] = {
    "attn.c_attn.weight", "attn.c_attn.bias", "attn.c_proj.weight", "attn.c_proj.bias",
    "ln_1.weight",        "ln_1.bias",        "mlp.c_fc.weight",    "mlp.c_fc.bias",
    "mlp.c_proj.weight",  "mlp.c_proj.bias",  "ln_2.weight",        "ln_2.bias",
};

int release_array_count(int n_layers) { return 2 + BLOCK_ARRAYS * n_layers; }

// The [in, out] of a block's weights and the width of its other arrays, by position.
static void block_shape(const GptConfig *c, int j, int64_t *shape, int *ndim) {
    int64_t d = c->d_model, f = c->d_ff;
    int64_t weights[BLOCK_ARRAYS][2] = {{d, 3 * d}, {0}, {d, d}, {0}, {0}, {0}, {d, f}, {0}, {f, d}, {0}, {0}, {0}};
    int64_t widths[BLOCK_ARRAYS] = {0, 3 * d, 0, d, d, d, 0, f, 0, d, d, d};
    if (widths[j] > 0) {
        shape[0] = widths[j];
        *ndim = 1;
    } else {
        shape[0] = 1, shape[1] = weights[j][0], shape[2] = weights[j][1];
        *ndim = 3;
    }
}

bool release_array(const GptConfig *c, int index, char *name, size_t name_size, int64_t *shape, int *ndim) {
    if (index < 0 || index >= release_array_count(c->n_layers)) return false;
    if (index < 2) {
        snprintf(name, name_size, "%s", index == 0 ? "wpe.weight" : "wte.weight");
        shape[0] = index == 0 ? c->n_ctx : c->vocab_size;
        shape[1] = c->d_model;
        *ndim = 2;
        return true;
    }
    int layer = (index - 2) / BLOCK_ARRAYS, j = (index - 2) % BLOCK_ARRAYS;
    snprintf(name, name_size, "blocks.%d.%s", layer, BLOCK_NAMES[j]);
    block_shape(c, j, shape, ndim);
    return true;
}

// "h.<layer>." at the start of name: the layer, and where the rest starts; -1 otherwise.
static int layer_prefix(const char *name, size_t *rest) {
    if (strncmp(name, "h.", 2) != 0 || name[2] < '0' || name[2] > '9') return -1;
    long layer = 0;
    size_t at = 2;
    for (; name[at] >= '0' && name[at] <= '9' && layer < 100000; at++) layer = 10 * layer + (name[at] - '0');
    if (name[at] != '.' || layer >= 100000 || (name[2] == '0' && at > 3)) return -1;
    *rest = at + 1;
    return (int)layer;
}

static const char *without_prefix(const char *hf) {
    return strncmp(hf, "transformer.", 12) == 0 ? hf + 12 : hf;
}

bool hf_to_gpt1_name(const char *hf, char *name, size_t name_size, int *index) {
    hf = without_prefix(hf);
    if (strcmp(hf, "tokens_embed.weight") == 0 || strcmp(hf, "positions_embed.weight") == 0) {
        snprintf(name, name_size, "%s", hf[0] == 't' ? "wte.weight" : "wpe.weight");
        *index = hf[0] == 't' ? 1 : 0;
        return true;
    }
    size_t rest;
    int l = layer_prefix(hf, &rest);
    if (l < 0) return false;
    for (int j = 0; j < BLOCK_ARRAYS; j++)
        if (strcmp(hf + rest, BLOCK_NAMES[j]) == 0) {
            snprintf(name, name_size, "blocks.%d.%s", l, BLOCK_NAMES[j]);
            *index = 2 + BLOCK_ARRAYS * l + j;
            return true;
        }
    return false;
}

void gpt1_to_hf_name(const char *name, char *hf, size_t hf_size) {
    if (strcmp(name, "wte.weight") == 0) snprintf(hf, hf_size, "tokens_embed.weight");
    else if (strcmp(name, "wpe.weight") == 0) snprintf(hf, hf_size, "positions_embed.weight");
    else if (strncmp(name, "blocks.", 7) == 0) snprintf(hf, hf_size, "h.%s", name + 7);
    else snprintf(hf, hf_size, "%s", name);
}

bool hf_is_mask_buffer(const char *hf) {
    hf = without_prefix(hf);
    size_t rest;
    return layer_prefix(hf, &rest) >= 0 && (strcmp(hf + rest, "attn.bias") == 0 || strcmp(hf + rest, "attn.masked_bias") == 0);
}
