// mkdir is POSIX.
#define _POSIX_C_SOURCE 200809L

#include "gpt/export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gpt/gpt1_names.h"
#include "gpt/io/replace_file.h"
#include "gpt/io/safetensors.h"
#include "gpt/io/small_file.h"
#include "gpt/tokenizer/bpe.h"
#include "gpt/tokenizer/gpt1_vocab.h"

typedef bool (*WriteFn)(FILE *file, const void *what);

// DIR/name written by write() through a temporary file (gpt/io/replace_file.h).
static bool write_folder_file(const char *dir, const char *name, WriteFn write, const void *what, char *error, size_t error_len) {
    char path[4096];
    if (!join_path(path, sizeof path, dir, name)) {
        snprintf(error, error_len, "%s: the path is too long", dir);
        return false;
    }
    if (!replace_file_allowed(path, error, error_len)) return false;
    FILE *file = replace_file_open(path);
    if (file == NULL) {
        snprintf(error, error_len, "%s: cannot write a file beside it: %s", path, strerror(errno));
        return false;
    }
    if (!replace_file_commit(file, path, write(file, what))) {
        snprintf(error, error_len, "%s: writing failed: %s", path, strerror(errno));
        return false;
    }
    return true;
}

static bool write_weights(FILE *file, const void *what) {
    const Gpt *model = what;
    const ParameterTable *params = &model->params;
    SafetensorsTensor *tensors = calloc((size_t)params->count, sizeof *tensors);
    char (*names)[80] = calloc((size_t)params->count, sizeof *names);
    bool ok = tensors != NULL && names != NULL;
    for (int i = 0; ok && i < params->count; i++) {
        const Tensor *t = &params->items[i]->tensor;
        gpt1_to_hf_name(t->name, names[i], sizeof names[i]);
        tensors[i] = (SafetensorsTensor){.name = names[i], .ndim = t->shape.ndim, .data = t->data};
        for (int d = 0; d < t->shape.ndim; d++) tensors[i].shape[d] = t->shape.dims[d];
    }
    ok = ok && safetensors_write(file, tensors, params->count);
    free(tensors);
    free(names);
    return ok;
}

typedef struct ConfigFile {
    const GptConfig *config;
    const char *tokenizer;
} ConfigFile;

static bool write_config(FILE *file, const void *what) {
    const ConfigFile *c = what;
    const GptConfig *g = c->config;
    fprintf(file, "{\n  \"architectures\": [\"OpenAIGPTLMHeadModel\"],\n  \"model_type\": \"openai-gpt\",\n");
    fprintf(file, "  \"afn\": \"%s\",\n", g->activation == ACTIVATION_GELU ? "gelu" : "relu");
    fprintf(file, "  \"n_embd\": %d,\n  \"n_layer\": %d,\n  \"n_head\": %d,\n", g->d_model, g->n_layers, g->n_heads);
    fprintf(file, "  \"n_positions\": %d,\n  \"n_ctx\": %d,\n  \"vocab_size\": %d,\n  \"n_special\": 0,\n", g->n_ctx,
            g->n_ctx, g->vocab_size);
    fprintf(file, "  \"attn_pdrop\": %.9g,\n  \"embd_pdrop\": %.9g,\n  \"resid_pdrop\": %.9g,\n", (double)g->dropout,
            (double)g->dropout, (double)g->dropout);
    fprintf(file, "  \"layer_norm_epsilon\": 1e-05,\n  \"initializer_range\": 0.02,\n");
    fprintf(file, "  \"n_inner\": %d,\n  \"gpt1c_tokenizer\": \"%s\"\n}\n", g->d_ff, c->tokenizer);
    return !ferror(file);
}

typedef struct Text {
    char *data;
    size_t len;
} Text;

static bool write_text_bytes(FILE *file, const void *what) {
    const Text *t = what;
    return t->data != NULL && fwrite(t->data, 1, t->len, file) == t->len;
}

static bool write_tokenizer_files(const char *dir, const Tokenizer *t, char *error, size_t error_len) {
    if (t->kind == TOKENIZER_GPT1) {
        Text vocab = {0}, merges = {0};
        vocab.data = gpt1_vocab_json(t->gpt1, &vocab.len);
        merges.data = gpt1_merges_text(t->gpt1, &merges.len);
        bool ok = write_folder_file(dir, "vocab.json", write_text_bytes, &vocab, error, error_len) &&
                  write_folder_file(dir, "merges.txt", write_text_bytes, &merges, error, error_len);
        free(vocab.data);
        free(merges.data);
        return ok;
    }
    if (t->kind == TOKENIZER_BPE) {
        Text text = {0};
        text.data = bpe_serialize(t->bpe, &text.len);
        bool ok = write_folder_file(dir, "vocab.bpe", write_text_bytes, &text, error, error_len);
        free(text.data);
        return ok;
    }
    Text chars = {(char *)t->id_to_byte, (size_t)t->n_text_tokens};
    return t->kind != TOKENIZER_CHARS || write_folder_file(dir, "chars.txt", write_text_bytes, &chars, error, error_len);
}

bool gpt_export(const char *dir, const Gpt *model, const Tokenizer *tokenizer, char *error, size_t error_len) {
    if (tokenizer->n_task_tokens != 0) {
        snprintf(error, error_len, "the model has task tokens (it was fine-tuned): only language models are exported "
                 "(export the pre-trained checkpoint)");
        return false;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        snprintf(error, error_len, "%s: cannot make the folder: %s", dir, strerror(errno));
        return false;
    }
    ConfigFile config = {&model->config, tokenizer_kind_name(tokenizer->kind)};
    return write_folder_file(dir, "model.safetensors", write_weights, model, error, error_len) &&
           write_folder_file(dir, "config.json", write_config, &config, error, error_len) &&
           write_tokenizer_files(dir, tokenizer, error, error_len);
}
