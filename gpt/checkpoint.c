#include "gpt/checkpoint.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/io/crc32.h"
#include "gpt/io/input_file.h"
#include "gpt/io/replace_file.h"

// --- Writing: every field little-endian, through a writer that also counts bytes and
// updates the CRC, so that one function both measures and writes the file. ---------

typedef struct Writer {
    FILE *file;      // NULL: only count (then the CRC is not computed)
    uint64_t bytes;
    uint32_t crc;
    bool failed;
} Writer;

static void put_bytes(Writer *w, const void *data, size_t n) {
    w->bytes += n;
    if (w->file == NULL) return;
    if (fwrite(data, 1, n, w->file) != n) w->failed = true;
    w->crc = crc32_update(w->crc, data, n);
}

static void put_u32(Writer *w, uint32_t v) {
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
    put_bytes(w, b, 4);
}

static void put_u64(Writer *w, uint64_t v) {
    put_u32(w, (uint32_t)v);
    put_u32(w, (uint32_t)(v >> 32));
}

static void put_f32(Writer *w, float v) {
    uint32_t bits;
    memcpy(&bits, &v, 4);
    put_u32(w, bits);
}

// The parameter values, converted to little-endian in chunks (a no-op on x86 and ARM).
static void put_floats(Writer *w, const float *values, long n) {
    enum { CHUNK = 4096 };
    unsigned char buf[CHUNK * 4];
    if (w->file == NULL) {
        w->bytes += (uint64_t)n * 4;
        return;
    }
    for (long start = 0; start < n; start += CHUNK) {
        long count = n - start < CHUNK ? n - start : CHUNK;
        for (long i = 0; i < count; i++) {
            uint32_t bits;
            memcpy(&bits, &values[start + i], 4);
            for (int k = 0; k < 4; k++) buf[i * 4 + k] = (unsigned char)(bits >> (8 * k));
        }
        put_bytes(w, buf, (size_t)count * 4);
    }
}

static void put_config(Writer *w, const GptConfig *c) {
    int32_t ints[] = {c->n_layers, c->d_model, c->n_heads, c->d_ff, c->n_ctx, c->vocab_size, (int32_t)c->activation};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) put_u32(w, (uint32_t)ints[i]);
    put_f32(w, c->dropout);
}

// A language model's checkpoint stores the head of TASK_NONE: four zeros.
static void put_head(Writer *w, const TaskModel *task) {
    const TaskHeadConfig none = {.task = TASK_NONE}, *h = task != NULL ? &task->head : &none;
    put_u32(w, (uint32_t)h->task);
    put_u32(w, (uint32_t)h->n_outputs);
    put_u32(w, (uint32_t)h->combine);
    put_u32(w, h->regression ? 1u : 0u);
}

// The class names of a fine-tuned model: a count (0 for a language model), then each
// as length and bytes.
static void put_label_names(Writer *w, const TaskModel *task) {
    int n = task != NULL ? task->n_label_names : 0;
    put_u32(w, (uint32_t)n);
    for (int i = 0; i < n; i++) {
        size_t len = strlen(task->label_names[i]);
        put_u32(w, (uint32_t)len);
        put_bytes(w, task->label_names[i], len);
    }
}

static void put_parameter_table(Writer *w, const ParameterTable *params) {
    put_u32(w, (uint32_t)params->count);
    for (int i = 0; i < params->count; i++) {
        const Parameter *p = params->items[i];
        size_t len = strlen(p->tensor.name);
        put_u32(w, (uint32_t)len);
        put_bytes(w, p->tensor.name, len);
        put_u32(w, (uint32_t)p->tensor.shape.ndim);
        for (int d = 0; d < p->tensor.shape.ndim; d++) put_u32(w, (uint32_t)p->tensor.shape.dims[d]);
        put_u64(w, (uint64_t)p->offset);
    }
    put_u64(w, (uint64_t)params->total);
}

// What a checkpoint is made of: the language model, and for a fine-tuned model its task
// model around it (task->gpt == model, whose table then holds W_y too), or NULL.
typedef struct Saved {
    const Gpt *model;
    const TaskModel *task;
} Saved;

// Everything but the final CRC. The declared file size comes first so that a
// truncated file is recognised as such before anything else is read.
static void put_checkpoint(Writer *w, uint64_t file_size, Saved saved, const Tokenizer *tokenizer,
                           const TrainingState *state, const unsigned char *payload, size_t payload_len) {
    const Gpt *model = saved.model;
    put_bytes(w, CHECKPOINT_MAGIC, 8);
    put_u32(w, CHECKPOINT_VERSION);
    put_u64(w, file_size);
    put_config(w, &model->config);
    put_head(w, saved.task);
    put_u32(w, (uint32_t)tokenizer->kind);
    put_u32(w, (uint32_t)tokenizer->n_text_tokens);
    put_u32(w, (uint32_t)tokenizer->n_task_tokens);
    put_u32(w, (uint32_t)payload_len);
    put_bytes(w, payload, payload_len);
    put_u64(w, (uint64_t)state->step);
    put_u64(w, state->data_rng.state);
    put_u64(w, model->dropout_rng.state);
    put_label_names(w, saved.task);
    put_parameter_table(w, &model->params);
    put_floats(w, model->params.data, model->params.total);
}

static bool write_file(FILE *file, Saved saved, const Tokenizer *tokenizer, const TrainingState *state) {
    size_t payload_len;
    unsigned char *payload = tokenizer_payload(tokenizer, &payload_len);
    Writer measure = {0};
    put_checkpoint(&measure, 0, saved, tokenizer, state, payload, payload_len);
    Writer w = {.file = file};
    put_checkpoint(&w, measure.bytes + 4, saved, tokenizer, state, payload, payload_len);
    put_u32(&w, w.crc);
    free(payload);
    return !w.failed;
}

// The table must be the config's model, with W_y only when the head is written too: the
// Gpt of a task model saved without its head would give a file no loader accepts.
static bool check_table_size(const char *path, Saved saved, char *error, size_t error_len) {
    const GptConfig *config = &saved.model->config;
    long expected = config_parameter_count(config);
    if (saved.task != NULL) expected += task_head_parameter_count(config, &saved.task->head);
    if (saved.model->params.total == expected) return true;
    snprintf(error, error_len, "%s: not written: the parameter table holds %ld values, the config's model %ld "
             "(a task model is saved with task_checkpoint_save)", path, saved.model->params.total, expected);
    return false;
}

static bool save_checkpoint(const char *path, Saved saved, const Tokenizer *tokenizer, const TrainingState *state, char *error,
                 size_t error_len) {
    const Gpt *model = saved.model;
    if (!check_table_size(path, saved, error, error_len)) return false;
    if (first_non_finite(model->params.data, model->params.total) >= 0) {
        snprintf(error, error_len, "step %ld: a weight became non-finite; try a smaller learning rate. "
                 "%s is not written: the last good checkpoint is left in place", state->step, path);
        return false;
    }
    char why[320];
    if (!replace_file_allowed(path, why, sizeof why)) {
        snprintf(error, error_len, "%s", why);
        return false;
    }
    FILE *file = replace_file_open(path);
    if (file == NULL) {
        snprintf(error, error_len, "%s: cannot write a file beside it: %s", path, strerror(errno));
        return false;
    }
    bool written = write_file(file, saved, tokenizer, state);
    if (!replace_file_commit(file, path, written)) {
        snprintf(error, error_len, "%s: writing the checkpoint failed: %s (the previous checkpoint is untouched)",
                 path, strerror(errno));
        return false;
    }
    return true;
}

bool checkpoint_save(const char *path, const Gpt *model, const Tokenizer *tokenizer, const TrainingState *state,
                     char *error, size_t error_len) {
    return save_checkpoint(path, (Saved){model, NULL}, tokenizer, state, error, error_len);
}

bool task_checkpoint_save(const char *path, const TaskModel *model, const Tokenizer *tokenizer,
                          const TrainingState *state, char *error, size_t error_len) {
    return save_checkpoint(path, (Saved){model->gpt, model}, tokenizer, state, error, error_len);
}

// --- Reading: the checks come in the order that gives the most useful message:
// magic, version, declared size (truncation), CRC (corruption), then the contents. ---

typedef struct Reader {
    FILE *file;
    const char *path;
    long size;  // bytes in the file
    char *error;
    size_t error_len;
    bool failed;
} Reader;

static void reader_fail(Reader *r, const char *what) {
    if (!r->failed) snprintf(r->error, r->error_len, "%s: %s", r->path, what);
    r->failed = true;
}

static void get_bytes(Reader *r, void *buf, size_t n, const char *field) {
    if (r->failed) {
        memset(buf, 0, n);
        return;
    }
    if (fread(buf, 1, n, r->file) != n) {
        char what[160];
        snprintf(what, sizeof what, "unexpected end of file while reading %s", field);
        reader_fail(r, what);
        memset(buf, 0, n);
    }
}

static uint32_t get_u32(Reader *r, const char *field) {
    unsigned char b[4];
    get_bytes(r, b, 4, field);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint64_t get_u64(Reader *r, const char *field) {
    uint64_t low = get_u32(r, field);
    return low | (uint64_t)get_u32(r, field) << 32;
}

static float get_f32(Reader *r, const char *field) {
    uint32_t bits = get_u32(r, field);
    float v;
    memcpy(&v, &bits, 4);
    return v;
}

static void get_floats(Reader *r, float *values, long n) {
    enum { CHUNK = 4096 };
    unsigned char buf[CHUNK * 4];
    for (long start = 0; start < n && !r->failed; start += CHUNK) {
        long count = n - start < CHUNK ? n - start : CHUNK;
        get_bytes(r, buf, (size_t)count * 4, "the parameter values");
        for (long i = 0; i < count; i++) {
            uint32_t bits = (uint32_t)buf[i * 4] | (uint32_t)buf[i * 4 + 1] << 8 | (uint32_t)buf[i * 4 + 2] << 16 |
                            (uint32_t)buf[i * 4 + 3] << 24;
            memcpy(&values[start + i], &bits, 4);
        }
    }
}

// The CRC of everything before the last 4 bytes, which hold the stored CRC.
static void check_crc(Reader *r, long file_size) {
    unsigned char buf[1 << 16];
    uint32_t crc = 0;
    long remaining = file_size - 4;
    rewind(r->file);
    while (remaining > 0 && !r->failed) {
        size_t n = remaining < (long)sizeof buf ? (size_t)remaining : sizeof buf;
        get_bytes(r, buf, n, "the file for its CRC");
        crc = crc32_update(crc, buf, n);
        remaining -= (long)n;
    }
    uint32_t stored = get_u32(r, "the CRC");
    if (!r->failed && stored != crc) {
        char what[160];
        snprintf(what, sizeof what, "CRC mismatch (stored %08x, computed %08x): the file is corrupt", stored, crc);
        reader_fail(r, what);
    }
}

static void check_header(Reader *r) {
    char magic[8];
    long size = r->size;
    if (size < 24) {
        reader_fail(r, "too short to be a gpt1.c checkpoint");
        return;
    }
    get_bytes(r, magic, 8, "the magic");
    if (memcmp(magic, CHECKPOINT_MAGIC, 8) != 0) {
        reader_fail(r, "not a gpt1.c checkpoint (bad magic)");
        return;
    }
    uint32_t version = get_u32(r, "the version");
    char what[160];
    if (version != CHECKPOINT_VERSION) {
        snprintf(what, sizeof what, "checkpoint version %u; this program reads version %d", version, CHECKPOINT_VERSION);
        reader_fail(r, what);
        return;
    }
    uint64_t declared = get_u64(r, "the file size");
    if ((uint64_t)size != declared) {
        snprintf(what, sizeof what, "%s: the file has %ld bytes, its header declares %llu",
                 (uint64_t)size < declared ? "truncated" : "wrong size", size, (unsigned long long)declared);
        reader_fail(r, what);
        return;
    }
    check_crc(r, size);
    fseek(r->file, 20, SEEK_SET);
}

// The enumerations are checked by value: a wrong byte must not quietly become ReLU.
static void check_config(Reader *r, const GptConfig *c, uint32_t activation) {
    char what[200] = "";
    if (activation > ACTIVATION_GELU)
        snprintf(what, sizeof what, "config.activation: expected 0 (relu) or 1 (gelu), got %u", activation);
    else
        config_validate(c, what, sizeof what);
    if (!r->failed && what[0] != '\0') {
        char message[240];
        snprintf(message, sizeof message, "invalid config: %s", what);
        reader_fail(r, message);
    }
}

static GptConfig get_config(Reader *r) {
    GptConfig c = {0};
    c.n_layers = (int)get_u32(r, "config.n_layers");
    c.d_model = (int)get_u32(r, "config.d_model");
    c.n_heads = (int)get_u32(r, "config.n_heads");
    c.d_ff = (int)get_u32(r, "config.d_ff");
    c.n_ctx = (int)get_u32(r, "config.n_ctx");
    c.vocab_size = (int)get_u32(r, "config.vocab_size");
    uint32_t activation = get_u32(r, "config.activation");
    c.activation = (Activation)activation;
    c.dropout = get_f32(r, "config.dropout");
    check_config(r, &c, activation);
    return c;
}

static void check_task_head(Reader *r, const GptConfig *config, const TaskHeadConfig *head, uint32_t task,
                       uint32_t combine) {
    char what[200] = "";
    if (task > TASK_CHOICE)
        snprintf(what, sizeof what, "head.task: expected 0 (none) to %d (choice), got %u", TASK_CHOICE, task);
    else if (combine > COMBINE_ADD)
        snprintf(what, sizeof what, "head.combine: expected 0 (concat) or 1 (add), got %u", combine);
    else if (head->task != TASK_NONE)
        task_head_validate(config, head, what, sizeof what);
    else if (head->n_outputs != 0 || combine != 0 || head->regression)
        snprintf(what, sizeof what, "head.task is 0 (none): expected n_outputs, combine and regression 0, got %d, %u, %d",
                 head->n_outputs, combine, head->regression);
    if (!r->failed && what[0] != '\0') {
        char message[240];
        snprintf(message, sizeof message, "invalid task head: %s", what);
        reader_fail(r, message);
    }
}

// The task head's config, after the model's: TASK_NONE in a language model's checkpoint.
static TaskHeadConfig get_head(Reader *r, const GptConfig *config) {
    TaskHeadConfig head = {0};
    uint32_t task = get_u32(r, "head.task");
    head.task = (TaskKind)task;
    head.n_outputs = (int)get_u32(r, "head.n_outputs");
    uint32_t combine = get_u32(r, "head.combine");
    head.combine = (SimilarityCombine)combine;
    uint32_t regression = get_u32(r, "head.regression");
    head.regression = regression != 0;
    if (!r->failed && regression > 1) {
        char what[96];
        snprintf(what, sizeof what, "invalid task head: head.regression: expected 0 or 1, got %u", regression);
        reader_fail(r, what);
    }
    check_task_head(r, config, &head, task, combine);
    return head;
}

static void get_tokenizer(Reader *r, Tokenizer *tokenizer, int vocab_size) {
    TokenizerKind kind = (TokenizerKind)get_u32(r, "tokenizer.kind");
    int n_text = (int)get_u32(r, "tokenizer.n_text_tokens"), n_task = (int)get_u32(r, "tokenizer.n_task_tokens");
    uint32_t len = get_u32(r, "tokenizer.payload_length");
    if (!r->failed && len > (uint64_t)r->size) reader_fail(r, "the tokenizer is longer than the file");
    if (r->failed) return;
    unsigned char *payload = malloc(len ? len : 1);
    if (payload == NULL) {
        reader_fail(r, "out of memory for the tokenizer");
        return;
    }
    get_bytes(r, payload, len, "the tokenizer");
    char what[200];
    if (!r->failed && !tokenizer_from_payload(tokenizer, kind, n_text, n_task, payload, len, what, sizeof what))
        reader_fail(r, what);
    if (!r->failed && tokenizer_vocab_size(tokenizer) != vocab_size) {
        snprintf(what, sizeof what, "the tokenizer has %d tokens but config.vocab_size is %d",
                 tokenizer_vocab_size(tokenizer), vocab_size);
        reader_fail(r, what);
    }
    free(payload);
}

// One class name: its length, then its bytes; refused when empty, too long or holding a
// NUL (which would cut it short). NULL on failure.
static char *get_label_name(Reader *r, uint32_t i) {
    uint32_t len = get_u32(r, "a label name length");
    char what[128];
    if (!r->failed && (len == 0 || len > TASK_LABEL_MAX_BYTES)) {
        snprintf(what, sizeof what, "label name %u: expected 1 to %d bytes, got %u", i, TASK_LABEL_MAX_BYTES, len);
        reader_fail(r, what);
    }
    if (r->failed) return NULL;
    char *name = calloc(len + 1, 1);
    if (name == NULL) reader_fail(r, "out of memory for the label names");
    if (r->failed) return NULL;
    get_bytes(r, name, len, "a label name");
    if (!r->failed && strlen(name) != len) {
        snprintf(what, sizeof what, "label name %u holds a NUL byte at offset %zu", i, strlen(name));
        reader_fail(r, what);
    }
    if (!r->failed) return name;
    free(name);
    return NULL;
}

// The class names of a fine-tuned model: a count, which the head must allow, then each
// name. They go to the task model; reading a language model (task NULL), they are skipped.
static void get_label_names(Reader *r, const TaskHeadConfig *head, TaskModel *task) {
    uint32_t n = get_u32(r, "the label count");
    char what[160], message[200];
    if (!r->failed && !task_label_count_valid(head, n > INT_MAX ? INT_MAX : (int)n, what, sizeof what)) {
        snprintf(message, sizeof message, "the label names: %s", what);
        reader_fail(r, message);
    }
    if (r->failed || n == 0) return;
    char **names = calloc(n, sizeof *names);
    if (names == NULL) {
        reader_fail(r, "out of memory for the label names");
        return;
    }
    for (uint32_t i = 0; i < n && !r->failed; i++) names[i] = get_label_name(r, i);
    if (!r->failed && task != NULL) task_model_set_label_names(task, names, (int)n);
    for (uint32_t i = 0; i < n; i++) free(names[i]);
    free(names);
}

// Entry i of the stored table must be parameter p, its values starting at base + p->offset.
static void check_parameter_entry(Reader *r, int i, const Parameter *p, long base) {
    char what[320], buf1[64], buf2[64], name[TENSOR_NAME_LEN] = {0};
    uint32_t len = get_u32(r, "a parameter name length");
    if (len >= sizeof name) {
        reader_fail(r, "a parameter name is too long");
        return;
    }
    get_bytes(r, name, len, "a parameter name");
    Shape shape = {.ndim = (int)get_u32(r, "a parameter's dimensions")};
    if (shape.ndim < 1 || shape.ndim > TENSOR_MAX_DIMS) {
        reader_fail(r, "a parameter has a bad shape");
        return;
    }
    for (int d = 0; d < shape.ndim; d++) shape.dims[d] = (int)get_u32(r, "a parameter shape");
    uint64_t offset = get_u64(r, "a parameter offset");
    if (r->failed) return;
    const Tensor *t = &p->tensor;
    if (strcmp(name, t->name) != 0 || !shape_equal(shape, t->shape) || offset != (uint64_t)(base + p->offset)) {
        snprintf(what, sizeof what, "parameter %d is '%s' %s, expected '%s' %s", i, name,
                 shape_string(shape, buf1, sizeof buf1), t->name, shape_string(t->shape, buf2, sizeof buf2));
        reader_fail(r, what);
    }
}

// The stored table must list exactly the model's parameters, in order, with the same
// shapes, then those of `skipped` (W_y, when a fine-tuned checkpoint is read as a
// language model), whose values come last in the file.
static void check_parameter_table(Reader *r, const ParameterTable *params, const ParameterTable *skipped) {
    int n = params->count + skipped->count;
    uint32_t count = get_u32(r, "the parameter count");
    if (!r->failed && count != (uint32_t)n) {
        char what[160];
        snprintf(what, sizeof what, "%u parameters stored, the model has %d", count, n);
        reader_fail(r, what);
        return;
    }
    for (int i = 0; i < n && !r->failed; i++) {
        if (i < params->count)
            check_parameter_entry(r, i, params->items[i], 0);
        else
            check_parameter_entry(r, i, skipped->items[i - params->count], params->total);
    }
    if (get_u64(r, "the parameter total") != (uint64_t)(params->total + skipped->total) && !r->failed)
        reader_fail(r, "the parameter total does not match the table");
}

// The model's values. When a fine-tuned checkpoint is read as a language model,
// skipped_head is the file's head: its W_y must be in the table, and its values (the
// last in the file) are left unread.
static void get_parameters(Reader *r, Gpt *model, const TaskHeadConfig *skipped_head) {
    ParameterTable skipped = {0};  // names and shapes only: never allocated
    Linear unused;
    if (skipped_head != NULL) task_head_create(&unused, &skipped, &model->config, skipped_head);
    check_parameter_table(r, &model->params, &skipped);
    get_floats(r, model->params.data, model->params.total);
    if (!r->failed && skipped.total > 0 && fseek(r->file, skipped.total * 4, SEEK_CUR) != 0)
        reader_fail(r, "cannot skip the task head's values");
    parameters_free(&skipped);
}

// Saving refuses a model with a NaN or an infinity (gpt/checkpoint.c save_checkpoint):
// a file holding one was made some other way.
static void check_finite_values(Reader *r, const ParameterTable *params) {
    long at = r->failed ? -1 : first_non_finite(params->data, params->total);
    if (at < 0) return;
    int i = 0;
    while (i + 1 < params->count && params->items[i + 1]->offset <= at) i++;
    const Parameter *p = params->items[i];
    char what[200];
    snprintf(what, sizeof what, "parameter '%s' holds a non-finite value (%g) at index %ld: a damaged checkpoint",
             p->tensor.name, (double)params->data[at], at - p->offset);
    reader_fail(r, what);
}

// The values end where the CRC begins: the header's size must be that of the contents.
static void check_nothing_left(Reader *r) {
    long at = r->failed ? r->size - 4 : ftell(r->file);
    if (at == r->size - 4) return;
    char what[160];
    snprintf(what, sizeof what, "%ld bytes between the parameter values and the CRC: the file holds more than "
             "its contents say", r->size - 4 - at);
    reader_fail(r, what);
}

static void get_state(Reader *r, TrainingState *state, uint64_t *dropout_state) {
    uint64_t step = get_u64(r, "state.step");
    if (!r->failed && step > (uint64_t)LONG_MAX) reader_fail(r, "state.step: expected a step count, got a negative number");
    state->step = (long)step;
    state->data_rng.state = get_u64(r, "state.data_rng");
    *dropout_state = get_u64(r, "state.dropout_rng");
}

// Everything before the label names, each part checked: header, config, head, tokenizer, state.
static void get_preamble(Reader *r, GptConfig *config, TaskHeadConfig *head, Tokenizer *tokenizer,
                         TrainingState *state, uint64_t *dropout_state) {
    check_header(r);
    *config = get_config(r);
    *head = get_head(r, config);
    get_tokenizer(r, tokenizer, config->vocab_size);
    get_state(r, state, dropout_state);
    if (r->failed) return;
    // config_validate and task_head_validate bounded every size: no overflow from here
    long values = config_parameter_count(config);
    if (head->task != TASK_NONE) values += task_head_parameter_count(config, head);
    if (values > (r->size - 4) / 4) reader_fail(r, "the config declares more parameters than the file holds");
}

// What a checkpoint is read as: the language model alone (task NULL), or the task model.
typedef struct Loaded {
    Gpt *model;
    TaskModel *task;  // task->gpt == model
} Loaded;

static Loaded read_checkpoint(Reader *r, Tokenizer *tokenizer, TrainingState *state, bool as_task_model) {
    memset(tokenizer, 0, sizeof *tokenizer);
    GptConfig config;
    TaskHeadConfig head;
    uint64_t dropout_state;
    get_preamble(r, &config, &head, tokenizer, state, &dropout_state);
    if (!r->failed && as_task_model && head.task == TASK_NONE)
        reader_fail(r, "a language model without a task head: fine-tune it first (gpt finetune)");
    if (r->failed) {
        tokenizer_free(tokenizer);
        return (Loaded){0};
    }
    Loaded loaded = {0};
    if (as_task_model) {
        loaded.task = task_model_create(&config, &head);
        loaded.model = loaded.task->gpt;
    } else {
        loaded.model = gpt_create(&config);
    }
    loaded.model->dropout_rng.state = dropout_state;
    get_label_names(r, &head, loaded.task);
    get_parameters(r, loaded.model, !as_task_model && head.task != TASK_NONE ? &head : NULL);
    check_finite_values(r, &loaded.model->params);
    check_nothing_left(r);
    if (!r->failed) return loaded;
    if (loaded.task != NULL)
        task_model_free(loaded.task);
    else
        gpt_free(loaded.model);
    tokenizer_free(tokenizer);
    return (Loaded){0};
}

static Loaded load(const char *path, Tokenizer *tokenizer, TrainingState *state, bool as_task_model, char *error,
                   size_t error_len) {
    Reader r = {.path = path, .error = error, .error_len = error_len};
    r.file = open_input_file(path, "", &r.size, error, error_len);
    if (r.file == NULL) return (Loaded){0};
    Tokenizer scratch_tokenizer;
    TrainingState scratch_state;
    Loaded loaded = read_checkpoint(&r, tokenizer ? tokenizer : &scratch_tokenizer, state ? state : &scratch_state,
                                    as_task_model);
    fclose(r.file);
    if (loaded.model != NULL && tokenizer == NULL) tokenizer_free(&scratch_tokenizer);
    return loaded;
}

Gpt *checkpoint_load(const char *path, Tokenizer *tokenizer, TrainingState *state, char *error, size_t error_len) {
    return load(path, tokenizer, state, false, error, error_len).model;
}

TaskModel *task_checkpoint_load(const char *path, Tokenizer *tokenizer, TrainingState *state, char *error,
                                size_t error_len) {
    return load(path, tokenizer, state, true, error, error_len).task;
}

// The head's task is the u32 at offset 52, after the magic, version, file size and config.
bool checkpoint_has_task_head(const char *path) {
    long size;
    char error[8];
    FILE *file = open_input_file(path, "", &size, error, sizeof error);
    if (file == NULL) return false;
    unsigned char header[56];
    bool read = fread(header, 1, sizeof header, file) == sizeof header;
    fclose(file);
    return read && memcmp(header, CHECKPOINT_MAGIC, 8) == 0 && (header[52] | header[53] | header[54] | header[55]) != 0;
}
