// Conformance: gpt1.c against an independent PyTorch GPT-1 (tests/reference/), through
// golden files computed once in float64 by tests/reference/make_golden.py, and a second,
// independent proof: a finite difference of the whole model along random directions.
//
// For a nano model (2 layers, d 16, 2 heads, d_ff 64, n_ctx 8, vocab 32), with ReLU and
// with GELU, the goldens hold gpt1.c's initial weights (reproduced by the script's own
// SplitMix64 + Box-Muller); the logits, the loss L1 and the gradient of every parameter
// of a batch, at the initial weights and at "spread" weights in a trained model's range
// (at N(0, 0.02) attention is nearly uniform and GELU nearly linear, which would hide
// some errors); the losses of 10 plain-SGD steps; 12 greedy tokens generated past the
// context window; and the evaluation loss of the window rule. For the fine-tuning half
// (nano_heads.bin): task_model_from_pretrained's new weights, the batches the four input
// transformations, truncation and padding give, and for every task head (classification,
// entailment, similarity concatenated, added and graded, multiple choice) the logits, L2,
// L1, L3 and the gradient of every parameter. docs/conformance.md has the format, the
// tolerances and the results.
//
// A tensor passes when max_i |gpt1.c_i − PyTorch_i| / max_i |PyTorch_i| <= tolerance: the
// error is measured against the tensor's scale, which is what float32 rounding in sums
// (in any order) is proportional to. Set CONFORMANCE_REPORT=1 to print every worst error:
//   CONFORMANCE_REPORT=1 CK_RUN_SUITE=conformance build/tests/run_tests
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"
#include "gpt/evaluate.h"
#include "gpt/finetune.h"
#include "gpt/model.h"
#include "gpt/pretrain.h"
#include "gpt/sample.h"
#include "gpt/task_heads.h"
#include "tests/helpers.h"

// float32 against a float64 reference. gpt1.c is off by at most 5.5e-7 (logits), 6.5e-8
// (loss) and 9.7e-7 (gradients); PyTorch's own float32 by 6.2e-7, 8.6e-8 and 1.3e-6. With
// the task heads (L3 = L2 + λ·L1 at spread weights): gpt1.c 9.3e-7, 6.5e-7 and 3.9e-6,
// PyTorch's float32 1.1e-6, 4.3e-7 and 2.7e-6. The margins leave room for other summation
// orders (blocked or vectorised matmul kernels) but not for a wrong formula: a missing
// 1/√d_head, an erf GELU or LayerNorm eps 1e-6 fail by at least 28 times the tolerance,
// a wrong head by far more (docs/conformance.md lists what was tried).
#define LOGITS_TOLERANCE 1e-5
#define LOSS_TOLERANCE 1e-5
#define GRADIENT_TOLERANCE 1e-4
// Ten SGD steps at lr 0.5 could amplify the float32 differences of each step; they do
// not measurably (1e-7), so the losses keep the tolerance of the first one.
#define SGD_LOSS_TOLERANCE 1e-5
// The finite differences along random directions (see test_directional_derivative).
// ε = 1e-2 (the length of the whole step) balances the float32 noise of the two losses,
// which grows as ε shrinks, against the O(ε²) truncation error and, with ReLU, the kinks
// crossed. Observed: at most 8.4e-6 here; 1.1e-5 at ε = 5e-3, 6.8e-5 at 1e-3 (noise), 1.7e-4
// at 2e-2 (a ReLU kink).
#define DIRECTIONAL_EPSILON 1e-2
#define DIRECTIONAL_TOLERANCE 1e-4
enum { DIRECTIONS = 8 };

// The initial weights (shared by both activations) and one file per activation.
static const char *const INIT_FILE = "tests/reference/golden/nano_init.bin";
static const char *const GOLDEN_FILES[] = {"tests/reference/golden/nano_relu.bin",
                                           "tests/reference/golden/nano_gelu.bin"};
enum { N_GOLDEN_FILES = 2 };

// --- The golden file reader ------------------------------------------------------------
// "GPT1GOLD", u32 version 1, u32 record count, then per record: u32 name length, the name,
// u32 dtype (0 float64, 1 float32, 2 int32), u32 ndim, ndim × u32 dims, the values;
// little-endian throughout.

typedef enum { GOLDEN_F64 = 0, GOLDEN_F32 = 1, GOLDEN_I32 = 2 } GoldenType;

typedef struct GoldenRecord {
    char name[TENSOR_NAME_LEN + 8];
    GoldenType type;
    Shape shape;
    long size;
    double *values;  // every record as doubles (float32 converts exactly)
    int *ints;       // the values of int32 records
} GoldenRecord;

typedef struct Golden {
    const char *path;
    int count;
    GoldenRecord *records;
} Golden;

static uint32_t read_u32(FILE *file, const char *path) {
    unsigned char b[4];
    if (fread(b, 1, 4, file) != 4) ck_abort_msg("%s: unexpected end of file", path);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void read_values(FILE *file, GoldenRecord *r, const char *path) {
    r->values = malloc(sizeof(double) * (size_t)r->size);
    r->ints = malloc(sizeof(int) * (size_t)r->size);
    ck_assert(r->values != NULL && r->ints != NULL);
    for (long i = 0; i < r->size; i++) {
        uint32_t low = read_u32(file, path);
        if (r->type == GOLDEN_F64) {
            uint64_t bits = low | (uint64_t)read_u32(file, path) << 32;
            memcpy(&r->values[i], &bits, 8);
        } else if (r->type == GOLDEN_F32) {
            float f;
            memcpy(&f, &low, 4);
            r->values[i] = f;
        } else {
            r->ints[i] = (int)(int32_t)low;
            r->values[i] = r->ints[i];
        }
    }
}

// Appends the records of the file at path to g.
static void golden_read(Golden *g, const char *path) {
    FILE *file = fopen(path, "rb");
    ck_assert_msg(file != NULL,
                  "cannot open %s: run the tests from the project root (make check does); the file is made by "
                  "/usr/bin/python3 tests/reference/make_golden.py", path);
    char magic[8];
    ck_assert_msg(fread(magic, 1, 8, file) == 8 && memcmp(magic, "GPT1GOLD", 8) == 0, "%s: not a golden file", path);
    ck_assert_msg(read_u32(file, path) == 1, "%s: unknown golden version", path);
    int count = (int)read_u32(file, path);
    g->records = realloc(g->records, sizeof *g->records * (size_t)(g->count + count));
    ck_assert_ptr_nonnull(g->records);
    for (int i = 0; i < count; i++) {
        GoldenRecord *r = &g->records[g->count++];
        memset(r, 0, sizeof *r);
        uint32_t len = read_u32(file, path);
        ck_assert_msg(len < sizeof r->name && fread(r->name, 1, len, file) == len, "%s: bad record name", path);
        r->type = (GoldenType)read_u32(file, path);
        r->shape.ndim = (int)read_u32(file, path);
        ck_assert_msg(r->type <= GOLDEN_I32 && r->shape.ndim >= 1 && r->shape.ndim <= TENSOR_MAX_DIMS,
                      "%s: record '%s' has a bad type or shape", path, r->name);
        for (int d = 0; d < r->shape.ndim; d++) r->shape.dims[d] = (int)read_u32(file, path);
        r->size = shape_size(r->shape);
        read_values(file, r, path);
    }
    ck_assert_msg(fgetc(file) == EOF, "%s: trailing bytes after %d records", path, count);
    fclose(file);
}

// The shared initial weights and the records of one activation's file.
static Golden golden_load(const char *path) {
    Golden g = {.path = path};
    golden_read(&g, INIT_FILE);
    golden_read(&g, path);
    return g;
}

static void golden_free(Golden *g) {
    for (int i = 0; i < g->count; i++) {
        free(g->records[i].values);
        free(g->records[i].ints);
    }
    free(g->records);
}

static const GoldenRecord *golden_get(const Golden *g, const char *name) {
    for (int i = 0; i < g->count; i++)
        if (strcmp(g->records[i].name, name) == 0) return &g->records[i];
    ck_abort_msg("%s: no record '%s' (regenerate with tests/reference/make_golden.py)", g->path, name);
    return NULL;
}

static double golden_scalar(const Golden *g, const char *name) { return golden_get(g, name)->values[0]; }

// --- Comparing ----------------------------------------------------------------------------

static void index_string(Shape shape, long flat, char *buf, size_t len) {
    int coords[TENSOR_MAX_DIMS];
    for (int d = shape.ndim - 1; d >= 0; d--) {
        coords[d] = (int)(flat % shape.dims[d]);
        flat /= shape.dims[d];
    }
    size_t at = (size_t)snprintf(buf, len, "[");
    for (int d = 0; d < shape.ndim && at < len; d++)
        at += (size_t)snprintf(buf + at, len - at, "%d%s", coords[d], d + 1 < shape.ndim ? "," : "]");
}

static bool report_requested(void) {
    const char *v = getenv("CONFORMANCE_REPORT");
    return v != NULL && v[0] != '\0' && v[0] != '0';
}

// Fails unless max |actual − expected| / max |expected| <= tolerance; names the tensor,
// the worst element and both values. Returns the error.
static double compare(const char *file, const char *what, const float *actual, const GoldenRecord *expected,
                      double tolerance) {
    double scale = 0.0, worst = -1.0;
    long worst_index = 0;
    for (long i = 0; i < expected->size; i++) scale = fmax(scale, fabs(expected->values[i]));
    for (long i = 0; i < expected->size; i++) {
        double error = fabs((double)actual[i] - expected->values[i]);
        if (error > worst || isnan(error)) worst = isnan(error) ? INFINITY : error, worst_index = i;
    }
    double relative = scale > 0.0 ? worst / scale : worst;
    char where[64];
    index_string(expected->shape, worst_index, where, sizeof where);
    if (report_requested())
        fprintf(stderr, "conformance %-22s %-34s error %.2e (tolerance %.0e) at %s\n", file, what, relative,
                tolerance, where);
    ck_assert_msg(relative <= tolerance,
                  "%s: %s differs from PyTorch: error %.3g (max |diff| / max |PyTorch| = %.3g / %.3g) > %.0e; "
                  "worst at %s%s: gpt1.c %.9g, PyTorch %.9g",
                  file, what, relative, worst, scale, tolerance, what, where, (double)actual[worst_index],
                  expected->values[worst_index]);
    return relative;
}

static double compare_scalar(const char *file, const char *what, double actual, double expected, double tolerance) {
    double relative = fabs(actual - expected) / fabs(expected);
    if (report_requested())
        fprintf(stderr, "conformance %-22s %-34s error %.2e (tolerance %.0e)\n", file, what, relative, tolerance);
    ck_assert_msg(relative <= tolerance, "%s: %s: gpt1.c %.9g, PyTorch %.9g: relative error %.3g > %.0e", file, what,
                  actual, expected, relative, tolerance);
    return relative;
}

static const char *short_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

// --- The model of a golden file ----------------------------------------------------------

static GptConfig golden_config(const Golden *g) {
    const int *c = golden_get(g, "config")->ints;
    GptConfig config = {c[0], c[1], c[2], c[3], c[4], c[5], c[6] == 1 ? ACTIVATION_GELU : ACTIVATION_RELU, 0.0f};
    return config;
}

// gpt1.c's parameter table must list exactly the golden's init.* records, in the same
// order, with the same shapes.
static const GoldenRecord *initial_values(const Golden *g, Gpt *model, int i) {
    const GoldenRecord *first = golden_get(g, "init.wte.weight");
    long n_init = 0;
    for (int r = 0; r < g->count; r++) n_init += strncmp(g->records[r].name, "init.", 5) == 0;
    ck_assert_msg(model->params.count == n_init, "%s: gpt1.c has %d parameters, the reference %ld", INIT_FILE,
                  model->params.count, n_init);
    const Tensor *t = &model->params.items[i]->tensor;
    const GoldenRecord *r = first + i;
    char a[64], b[64];
    ck_assert_msg(strcmp(r->name + 5, t->name) == 0 && shape_equal(r->shape, t->shape),
                  "%s: parameter %d is '%s' %s in gpt1.c, '%s' %s in the reference", INIT_FILE, i, t->name,
                  shape_string(t->shape, a, sizeof a), r->name + 5, shape_string(r->shape, b, sizeof b));
    return r;
}

// A model holding the golden's initial weights (read from the file, independent of
// gpt_init_weights: that one has its own test).
static Gpt *golden_model(const Golden *g) {
    GptConfig config = golden_config(g);
    Gpt *model = gpt_create(&config);
    for (int i = 0; i < model->params.count; i++) {
        Tensor *t = &model->params.items[i]->tensor;
        const GoldenRecord *r = initial_values(g, model, i);
        for (long j = 0; j < t->size; j++) t->data[j] = (float)r->values[j];
    }
    return model;
}

// The spread weights, as make_golden.py draws them: one SplitMix64 stream in table order;
// weights N(0, std[0]²), biases and LayerNorm gains their init (0 or 1) + N(0, std[1]²).
static void spread_weights(const Golden *g, Gpt *model) {
    Rng rng;
    rng_seed(&rng, (uint64_t)golden_get(g, "spread.seed")->ints[0]);
    const double *std = golden_get(g, "spread.std")->values;
    for (int i = 0; i < model->params.count; i++) {
        Parameter *p = model->params.items[i];
        float base = p->init == INIT_ONES ? 1.0f : 0.0f;
        float sd = (float)(p->init == INIT_NORMAL ? std[0] : std[1]);
        for (long j = 0; j < p->tensor.size; j++) p->tensor.data[j] = base + rng_normal(&rng, 0.0f, sd);
    }
}

// Weights: 0 the initial ones, 1 the spread ones.
static Gpt *golden_model_with(const Golden *g, int weights) {
    Gpt *model = golden_model(g);
    if (weights == 1) spread_weights(g, model);
    return model;
}

static void conformance_teardown(void) { tape_reset(); }

// --- The tests ---------------------------------------------------------------------------

// gpt_init_weights(seed) gives the reference's weights bit for bit: the reference draws
// them with its own SplitMix64 and Box-Muller, in the order of the parameter table.
START_TEST(test_initial_weights) {
    Golden g = golden_load(GOLDEN_FILES[0]);
    Gpt *model = golden_model(&g);
    gpt_init_weights(model, (uint64_t)golden_get(&g, "seed")->ints[0]);
    for (int i = 0; i < model->params.count; i++) {
        const Tensor *t = &model->params.items[i]->tensor;
        const GoldenRecord *r = initial_values(&g, model, i);
        for (long j = 0; j < t->size; j++)
            if ((double)t->data[j] != r->values[j]) {
                char where[64];
                index_string(t->shape, j, where, sizeof where);
                ck_abort_msg("%s: initial %s%s: gpt1.c %.9g, reference %.9g (bit for bit expected)", INIT_FILE,
                             t->name, where, (double)t->data[j], r->values[j]);
            }
    }
    gpt_free(model);
    golden_free(&g);
}
END_TEST

static const char *const WEIGHT_PREFIX[] = {"", "spread."};

// The logits [2, 8, 32] of a batch and the loss L1 (mean cross-entropy); _i = 2·file + weights.
START_TEST(test_logits_and_loss) {
    Golden g = golden_load(GOLDEN_FILES[_i / 2]);
    Gpt *model = golden_model_with(&g, _i % 2);
    const char *prefix = WEIGHT_PREFIX[_i % 2];
    const GoldenRecord *inputs = golden_get(&g, "inputs");
    Tensor *logits = gpt_logits(model, inputs->ints, inputs->shape.dims[0], inputs->shape.dims[1]);
    Tensor *loss = lm_loss(logits, golden_get(&g, "targets")->ints);
    char name[64];
    snprintf(name, sizeof name, "%slogits", prefix);
    const GoldenRecord *expected = golden_get(&g, name);
    ck_assert(shape_equal(logits->shape, expected->shape));
    compare(short_name(g.path), name, logits->data, expected, LOGITS_TOLERANCE);
    snprintf(name, sizeof name, "%sloss", prefix);
    compare_scalar(short_name(g.path), name, loss->data[0], golden_scalar(&g, name), LOSS_TOLERANCE);
    gpt_free(model);
    golden_free(&g);
}
END_TEST

// dL/dθ for every parameter, the tied wte.weight included (embedding + output paths).
START_TEST(test_gradients) {
    Golden g = golden_load(GOLDEN_FILES[_i / 2]);
    Gpt *model = golden_model_with(&g, _i % 2);
    const GoldenRecord *inputs = golden_get(&g, "inputs");
    backward(lm_loss(gpt_logits(model, inputs->ints, inputs->shape.dims[0], inputs->shape.dims[1]),
                     golden_get(&g, "targets")->ints));
    for (int i = 0; i < model->params.count; i++) {
        const Tensor *t = &model->params.items[i]->tensor;
        char name[TENSOR_NAME_LEN + 16];
        snprintf(name, sizeof name, "%sgrad.%s", WEIGHT_PREFIX[_i % 2], t->name);
        compare(short_name(g.path), name, t->grad, golden_get(&g, name), GRADIENT_TOLERANCE);
    }
    gpt_free(model);
    golden_free(&g);
}
END_TEST

// The golden's ten stored batches through train_step at learning_rate_at's rate for
// each step: every step's loss against `losses` (what: the run's name in a message).
static void assert_sgd_losses(const Golden *g, const SgdOptions *sgd, const char *losses_record, const char *what) {
    Gpt *model = golden_model(g);
    const GoldenRecord *inputs = golden_get(g, "sgd.inputs"), *targets = golden_get(g, "sgd.targets");
    const GoldenRecord *losses = golden_get(g, losses_record);
    int steps = inputs->shape.dims[0], b = inputs->shape.dims[1], t = inputs->shape.dims[2];
    for (int step = 0; step < steps; step++) {
        Batch batch = {.batch = b, .seq = t, .inputs = inputs->ints + (long)step * b * t,
                       .targets = targets->ints + (long)step * b * t};
        float loss = train_step(model, &batch, sgd, learning_rate_at(sgd, step, steps));
        char name[48];
        snprintf(name, sizeof name, "loss of %s step %d", what, step + 1);
        compare_scalar(short_name(g->path), name, loss, losses->values[step], SGD_LOSS_TOLERANCE);
    }
    gpt_free(model);
}

// Ten steps of plain SGD, θ ← θ − η∇θ L, through train_step: the loss of every step.
START_TEST(test_sgd_steps) {
    Golden g = golden_load(GOLDEN_FILES[_i]);
    SgdOptions sgd = {.lr = (float)golden_scalar(&g, "sgd.lr")};
    assert_sgd_losses(&g, &sgd, "sgd.losses", "SGD");
    golden_free(&g);
}
END_TEST

// The same batches with the options a longer run uses: 3 warm-up steps, cosine decay to 0
// and the gradient's norm clipped to 0.25 (PyTorch's clip_grad_norm_). Every step clips,
// so a wrong norm, a wrong clip or a wrong schedule changes the losses from step 2 on.
START_TEST(test_clipped_warmed_up_sgd_steps) {
    Golden g = golden_load(GOLDEN_FILES[_i]);
    SgdOptions sgd = {.lr = (float)golden_scalar(&g, "sgd_clipped.lr"),
                      .clip_norm = (float)golden_scalar(&g, "sgd_clipped.clip"),
                      .warmup_steps = golden_get(&g, "sgd_clipped.warmup")->ints[0],
                      .decay = LR_COSINE};
    assert_sgd_losses(&g, &sgd, "sgd_clipped.losses", "clipped SGD");
    golden_free(&g);
}
END_TEST

// The same batches with Adam (PyTorch's torch.optim.Adam, betas 0.9 and 0.999, eps 1e-8):
// a wrong bias correction, a missing square root or a moment that does not carry over
// changes the losses from step 2 on.
START_TEST(test_adam_steps) {
    Golden g = golden_load(GOLDEN_FILES[_i]);
    SgdOptions adam = {.optimizer = OPTIMIZER_ADAM, .lr = (float)golden_scalar(&g, "adam.lr")};
    assert_sgd_losses(&g, &adam, "adam.losses", "Adam");
    golden_free(&g);
}
END_TEST

// Greedy generation (temperature 0) of 12 tokens after a 3-token prompt: 15 tokens for a
// context of 8, so the model reads a sliding window of the last n_ctx tokens. The spread
// weights make the tokens depend on the whole window (the reference checks that reading
// the first n_ctx tokens, or only n_ctx − 1, gives other tokens).
START_TEST(test_greedy_generation) {
    Golden g = golden_load(GOLDEN_FILES[_i]);
    Gpt *model = golden_model_with(&g, 1);
    const GoldenRecord *prompt = golden_get(&g, "generate.prompt"), *expected = golden_get(&g, "generate.tokens");
    SampleOptions options = {.n_tokens = (int)(expected->size - prompt->size), .temperature = 0.0f};
    Rng rng;
    rng_seed(&rng, 1);
    long n;
    int *ids = generate(model, prompt->ints, prompt->size, &options, &rng, &n);
    ck_assert_int_eq(n, expected->size);
    for (long i = 0; i < n; i++)
        ck_assert_msg(ids[i] == expected->ints[i], "%s: greedy token %ld is %d in gpt1.c, %d in PyTorch", g.path, i,
                      ids[i], expected->ints[i]);
    free(ids);
    gpt_free(model);
    golden_free(&g);
}
END_TEST

// Greedy ties go to the lowest id, as numpy.argmax and torch.argmax choose (the reference's
// generation never meets an exact tie: its smallest top-1/top-2 gap is 3.6e-2).
START_TEST(test_greedy_ties_go_to_lowest_id) {
    const float logits[] = {0.5f, 2.0f, 1.0f, 2.0f, 2.0f, -INFINITY};
    SampleOptions greedy = {.temperature = 0.0f};
    ck_assert_int_eq(choose_next_token(logits, 6, &greedy, NULL), 1);
    const float all_equal[] = {3.0f, 3.0f, 3.0f};
    ck_assert_int_eq(choose_next_token(all_equal, 3, &greedy, NULL), 0);
}
END_TEST

// evaluate_lm_loss on 30 tokens: three windows of n_ctx + 1 and a tail of 3 (2 predictions);
// spread weights.
START_TEST(test_evaluation_loss) {
    Golden g = golden_load(GOLDEN_FILES[_i]);
    Gpt *model = golden_model_with(&g, 1);
    const GoldenRecord *tokens = golden_get(&g, "eval.tokens");
    TokenSequence data = {tokens->ints, tokens->size};
    long scored;
    double loss = evaluate_lm_loss(model, &data, 2, 0, &scored);
    ck_assert_int_eq(scored, golden_get(&g, "eval.scored")->ints[0]);
    compare_scalar(short_name(g.path), "evaluation loss", loss, golden_scalar(&g, "eval.loss"), LOSS_TOLERANCE);
    gpt_free(model);
    golden_free(&g);
}
END_TEST

// --- The fine-tuning half: task heads, L2, L1, L3 and the input transformations -------------
// nano_heads.bin: the same nano model (GELU) with 3 task tokens after its 32 text tokens
// (vocabulary 35) and a task head, at spread weights drawn over the task model's whole
// table (the head last). For each case: the examples' fields (before truncation), the
// padded batch the reference built from them (tokens, LM targets, extract rows), and the
// reference's logits, L2, L1, L3 and (but for entailment, whose head is classify's) the
// gradient of every parameter. The reference runs every sequence alone at its own length,
// so these goldens also show that gpt1.c's right padding changes nothing.

static const char *const HEADS_FILE = "tests/reference/golden/nano_heads.bin";
static const char *const HEAD_CASES[] = {"classify", "classify_lambda0", "entail", "similar_concat", "similar_add",
                                         "similar_regression", "choice"};
enum { N_HEAD_CASES = 7, MAX_HEAD_EXAMPLES = 8 };

static bool golden_has(const Golden *g, const char *name) {
    for (int i = 0; i < g->count; i++)
        if (strcmp(g->records[i].name, name) == 0) return true;
    return false;
}

static const GoldenRecord *case_record(const Golden *g, const char *c, const char *what) {
    char name[TENSOR_NAME_LEN + 32];
    snprintf(name, sizeof name, "%s.%s", c, what);
    return golden_get(g, name);
}

// The text vocabulary of the golden's pre-trained model (32 "chars": ids 0-31), optionally
// with the three task tokens after it.
static Tokenizer heads_tokenizer(const Golden *g, bool with_task_tokens) {
    char text[256];
    int n_text = golden_config(g).vocab_size;
    ck_assert(n_text <= 256 - '!');
    for (int i = 0; i < n_text; i++) text[i] = (char)('!' + i);
    Tokenizer t;
    tokenizer_init_chars(&t, text, (size_t)n_text);
    t.n_task_tokens = with_task_tokens ? N_TASK_TOKENS : 0;
    return t;
}

static TaskHeadConfig golden_head_config(const GoldenRecord *r) {
    const int *h = r->ints;
    return (TaskHeadConfig){(TaskKind)h[0], h[1], h[2] == 1 ? COMBINE_ADD : COMBINE_CONCAT, h[3] != 0};
}

// The pre-trained nano's config with the task tokens; the case's head.
static GptConfig heads_config(const Golden *g, const char *c, TaskHeadConfig *head) {
    GptConfig config = golden_config(g);
    config.vocab_size += N_TASK_TOKENS;
    *head = golden_head_config(case_record(g, c, "head"));
    char error[128] = "";
    ck_assert_msg(config_validate(&config, error, sizeof error), "%s: %s", c, error);
    ck_assert_msg(task_head_validate(&config, head, error, sizeof error), "%s: %s", c, error);
    return config;
}

// The case's examples: field_lengths [examples, fields] and the fields' ids one after another.
static int heads_examples(const Golden *g, const char *c, EncodedExample *examples) {
    const GoldenRecord *lengths = case_record(g, c, "field_lengths"), *fields = case_record(g, c, "fields");
    const int *labels = case_record(g, c, "labels")->ints;
    const double *targets = case_record(g, c, "targets")->values;
    int m = lengths->shape.dims[0], n_fields = lengths->shape.dims[1];
    ck_assert(m <= MAX_HEAD_EXAMPLES && n_fields <= MAX_TASK_FIELDS);
    const int *ids = fields->ints;
    for (int i = 0; i < m; i++) {
        examples[i] = (EncodedExample){.n_fields = n_fields, .label = labels[i], .target = (float)targets[i]};
        for (int f = 0; f < n_fields; f++) {
            examples[i].fields[f] = (TokenSpan){ids, lengths->ints[i * n_fields + f]};
            ids += examples[i].fields[f].n;
        }
    }
    ck_assert(ids == fields->ints + fields->size);
    return m;
}

// task_batch_fill on the case's examples, as finetune and task_predict call it.
static void heads_batch(const Golden *g, const char *c, TaskBatch *b) {
    EncodedExample examples[MAX_HEAD_EXAMPLES];
    int m = heads_examples(g, c, examples);
    Tokenizer tokenizer = heads_tokenizer(g, true);
    TaskHeadConfig head;
    GptConfig config = heads_config(g, c, &head);
    task_batch_init(b, head.task, m * task_views(head.task, &examples[0]), config.n_ctx);
    task_batch_fill(b, task_tokens(&tokenizer), examples, m);
    tokenizer_free(&tokenizer);
}

// Exact equality of integers, naming the record and the first difference.
static void compare_ints(const int *actual, const GoldenRecord *expected) {
    for (long i = 0; i < expected->size; i++)
        if (actual[i] != expected->ints[i]) {
            char where[64];
            index_string(expected->shape, i, where, sizeof where);
            ck_abort_msg("%s: %s%s: gpt1.c %d, reference %d", short_name(HEADS_FILE), expected->name, where, actual[i],
                         expected->ints[i]);
        }
}

// Bit-for-bit equality of a parameter's values [first, first + n) with a golden's.
static void compare_exact(const Tensor *p, long first, long n, const double *expected, const char *source) {
    for (long j = first; j < first + n; j++)
        if ((double)p->data[j] != expected[j - first]) {
            char where[64];
            index_string(p->shape, j, where, sizeof where);
            ck_abort_msg("task_model_from_pretrained: %s%s is %.9g, %s has %.9g (bit for bit expected)", p->name, where,
                         (double)p->data[j], source, expected[j - first]);
        }
}

// task_model_from_pretrained: the pre-trained weights copied, and the rest — the three
// task tokens' rows of wte.weight (after the text rows) and the head — exactly the draws
// of gpt_init_weights(seed) over the task model's table, in the reference's order. The
// pre-trained model is the golden nano's initial weights.
START_TEST(test_task_model_from_pretrained) {
    Golden g = golden_load(HEADS_FILE);
    Gpt *pretrained = golden_model(&g);
    Tokenizer text = heads_tokenizer(&g, false), task;
    uint64_t seed = (uint64_t)golden_get(&g, "finetune.seed")->ints[0];
    TaskModel *task_model = task_model_from_pretrained(pretrained, &text, &task,
                                                       golden_head_config(golden_get(&g, "finetune.head")), false, seed);
    Gpt *model = task_model->gpt;  // its table holds W_y too, last
    TaskTokens t = task_tokens(&task);
    compare_ints((const int[]){t.start, t.delimiter, t.extract}, golden_get(&g, "task_tokens"));
    ck_assert_int_eq(model->config.vocab_size, pretrained->config.vocab_size + N_TASK_TOKENS);
    ck_assert_int_eq(model->params.count, pretrained->params.count + 2);
    const char *fresh = "the reference's initialisation";
    for (int i = 0; i < model->params.count; i++) {
        const Tensor *p = &model->params.items[i]->tensor, *old = parameter_find(&pretrained->params, p->name);
        char name[TENSOR_NAME_LEN + 16];
        snprintf(name, sizeof name, "finetune.%s", p->name);
        long n_copied = old ? old->size : 0;
        if (old != NULL) {  // as doubles, to compare like the golden's values
            double *copied = malloc(sizeof(double) * (size_t)n_copied);
            ck_assert_ptr_nonnull(copied);
            for (long j = 0; j < n_copied; j++) copied[j] = old->data[j];
            compare_exact(p, 0, n_copied, copied, "the pre-trained model");
            free(copied);
        }
        if (strcmp(p->name, "wte.weight") == 0)  // the task tokens' rows, after the text rows
            compare_exact(p, n_copied, p->size - n_copied, golden_get(&g, "finetune.task_rows")->values, fresh);
        else if (old == NULL)  // head.weight, head.bias
            compare_exact(p, 0, p->size, golden_get(&g, name)->values, fresh);
        else
            ck_assert(shape_equal(p->shape, old->shape));
    }
    tokenizer_free(&text);
    tokenizer_free(&task);
    task_model_free(task_model);
    gpt_free(pretrained);
    golden_free(&g);
}
END_TEST

// The input transformations, truncation and padding: task_batch_fill must build exactly the
// reference's batch from the same examples: <s> $ <e> at ids 32, 33, 34; each case's
// truncation; AB and BA of each similarity example side by side; one row per option;
// right padding with 0 to the longest sequence; LM targets = the next real token or −1;
// the extract row of each sequence.
START_TEST(test_task_batch) {
    Golden g = golden_load(HEADS_FILE);
    const char *c = HEAD_CASES[_i];
    TaskBatch b;
    heads_batch(&g, c, &b);
    const GoldenRecord *tokens = case_record(&g, c, "tokens");
    ck_assert_msg(b.n_sequences == tokens->shape.dims[0] && b.seq == tokens->shape.dims[1],
                  "%s: %s: gpt1.c's batch is [%d, %d], the reference's [%d, %d]", short_name(HEADS_FILE), c,
                  b.n_sequences, b.seq, tokens->shape.dims[0], tokens->shape.dims[1]);
    compare_ints(b.tokens, tokens);
    compare_ints(b.lm_targets, case_record(&g, c, "lm_targets"));
    compare_ints(b.extract_rows, case_record(&g, c, "extract_rows"));
    task_batch_free(&b);
    golden_free(&g);
}
END_TEST

// The head's logits, L2, L1 and L3 = L2 + λ·L1 through task_forward, and the gradient of
// every parameter through backward(L3). With λ = 0, L1 must not be computed at all.
START_TEST(test_task_head) {
    Golden g = golden_load(HEADS_FILE);
    const char *c = HEAD_CASES[_i], *file = short_name(HEADS_FILE);
    TaskHeadConfig head;
    GptConfig config = heads_config(&g, c, &head);
    TaskModel *task_model = task_model_create(&config, &head);
    Gpt *model = task_model->gpt;
    spread_weights(&g, model);  // over the whole table, W_y last
    TaskBatch b;
    heads_batch(&g, c, &b);
    float lambda = (float)case_record(&g, c, "lambda")->values[0];
    TaskOutput out = task_forward(task_model, &b, lambda);

    char name[TENSOR_NAME_LEN + 32];
    const GoldenRecord *logits = case_record(&g, c, "logits");
    ck_assert(shape_equal(out.logits->shape, logits->shape));
    snprintf(name, sizeof name, "%s.logits", c);
    compare(file, name, out.logits->data, logits, LOGITS_TOLERANCE);
    snprintf(name, sizeof name, "%s.l2", c);
    compare_scalar(file, name, out.l2->data[0], golden_scalar(&g, name), LOSS_TOLERANCE);
    if (lambda != 0.0f) {
        ck_assert_ptr_nonnull(out.l1);
        snprintf(name, sizeof name, "%s.l1", c);
        compare_scalar(file, name, out.l1->data[0], golden_scalar(&g, name), LOSS_TOLERANCE);
    } else {
        ck_assert_msg(out.l1 == NULL && out.l3 == out.l2, "%s: with λ = 0, L1 is computed or L3 is not L2", c);
    }
    snprintf(name, sizeof name, "%s.l3", c);
    compare_scalar(file, name, out.l3->data[0], golden_scalar(&g, name), LOSS_TOLERANCE);

    backward(out.l3);
    snprintf(name, sizeof name, "%s.grad.wte.weight", c);
    for (int i = 0; golden_has(&g, name) && i < model->params.count; i++) {
        const Tensor *t = &model->params.items[i]->tensor;
        char grad[TENSOR_NAME_LEN + 32];
        snprintf(grad, sizeof grad, "%s.grad.%s", c, t->name);
        compare(file, grad, t->grad, golden_get(&g, grad), GRADIENT_TOLERANCE);
    }
    task_batch_free(&b);
    task_model_free(task_model);
    golden_free(&g);
}
END_TEST

// --- A second, independent proof: the whole model's directional derivative ------------------
// For random unit directions u over all parameters θ (every parameter at once), the central
// difference (L(θ + εu) − L(θ − εu)) / 2ε must equal ∇L·u from backward(). With care for
// float32: the perturbed parameters are rounded to float32, so the step actually taken,
// δ± = fl(θ ± εu) − θ, is measured exactly in double and the prediction is ∇L·(δ+ − δ−);
// the loss is summed in double from the float32 logits. The error is measured against
// ‖∇L‖, the largest directional derivative any unit direction can have (∇L·u itself can
// be near 0 for an unlucky u, which would make a relative error meaningless).

static double loss_in_double(const Tensor *logits, const int *targets) {
    int v = tensor_cols(logits);
    long rows = tensor_rows(logits);
    double total = 0.0;
    for (long r = 0; r < rows; r++) {
        const float *row = logits->data + r * v;
        double max = row[0], sum = 0.0;
        for (int j = 1; j < v; j++) max = fmax(max, row[j]);
        for (int j = 0; j < v; j++) sum += exp((double)row[j] - max);
        total += max + log(sum) - row[targets[r]];
    }
    return total / (double)rows;
}

static double current_loss(Gpt *model, const GoldenRecord *inputs, const int *targets) {
    bool previous = set_grad_enabled(false);
    double loss = loss_in_double(gpt_logits(model, inputs->ints, inputs->shape.dims[0], inputs->shape.dims[1]),
                                 targets);
    tape_reset();
    set_grad_enabled(previous);
    return loss;
}

// Sets θ + sign·ε·u (rounded to float32) and returns Σ ∇L_i·δ_i for the step actually taken.
static double perturb(ParameterTable *p, const float *theta, const double *u, double epsilon, double sign) {
    double predicted = 0.0;
    for (long i = 0; i < p->total; i++) {
        p->data[i] = (float)((double)theta[i] + sign * epsilon * u[i]);
        predicted += (double)p->grad[i] * ((double)p->data[i] - (double)theta[i]);
    }
    return predicted;
}

static void random_unit_direction(double *u, long n, uint64_t seed) {
    Rng rng;
    rng_seed(&rng, seed);
    double norm = 0.0;
    for (long i = 0; i < n; i++) u[i] = rng_normal(&rng, 0.0f, 1.0f), norm += u[i] * u[i];
    for (long i = 0; i < n; i++) u[i] /= sqrt(norm);
}

START_TEST(test_directional_derivative) {
    Golden g = golden_load(GOLDEN_FILES[_i / 2]);
    Gpt *model = golden_model_with(&g, _i % 2);
    ParameterTable *p = &model->params;
    const GoldenRecord *inputs = golden_get(&g, "inputs");
    const int *targets = golden_get(&g, "targets")->ints;
    backward(lm_loss(gpt_logits(model, inputs->ints, inputs->shape.dims[0], inputs->shape.dims[1]), targets));
    tape_reset();
    double grad_norm = 0.0;
    for (long i = 0; i < p->total; i++) grad_norm += (double)p->grad[i] * p->grad[i];
    grad_norm = sqrt(grad_norm);

    double *u = malloc(sizeof(double) * (size_t)p->total);
    float *theta = malloc(sizeof(float) * (size_t)p->total);
    memcpy(theta, p->data, sizeof(float) * (size_t)p->total);
    const double epsilon = DIRECTIONAL_EPSILON;
    for (int direction = 0; direction < DIRECTIONS; direction++) {
        random_unit_direction(u, p->total, 1000 + (uint64_t)direction);
        double up = perturb(p, theta, u, epsilon, +1.0);
        double loss_plus = current_loss(model, inputs, targets);
        double down = perturb(p, theta, u, epsilon, -1.0);
        double loss_minus = current_loss(model, inputs, targets);
        double analytic = (up - down) / (2 * epsilon), numeric = (loss_plus - loss_minus) / (2 * epsilon);
        double error = fabs(numeric - analytic) / grad_norm;
        if (report_requested())
            fprintf(stderr, "conformance %-22s %sdirectional derivative %d  error %.2e (tolerance %.0e): "
                    "backward %.9g, difference %.9g, |grad| %.4g\n", short_name(g.path), WEIGHT_PREFIX[_i % 2],
                    direction, error,
                    DIRECTIONAL_TOLERANCE, analytic, numeric, grad_norm);
        ck_assert_msg(error <= DIRECTIONAL_TOLERANCE,
                      "%s: %s weights, along random direction %d, backward gives dL/du = %.9g, the central "
                      "difference %.9g: |difference| / |grad L| = %.3g > %.0e", g.path, _i % 2 ? "spread" : "initial",
                      direction, analytic, numeric, error,
                      DIRECTIONAL_TOLERANCE);
    }
    free(u);
    free(theta);
    gpt_free(model);
    golden_free(&g);
}
END_TEST

Suite *conformance_suite(void) {
    Suite *s = suite_create("conformance");
    TCase *tc = tcase_create("pytorch");
    tcase_add_checked_fixture(tc, NULL, conformance_teardown);
    tcase_add_test(tc, test_initial_weights);
    tcase_add_loop_test(tc, test_logits_and_loss, 0, 2 * N_GOLDEN_FILES);
    tcase_add_loop_test(tc, test_gradients, 0, 2 * N_GOLDEN_FILES);
    tcase_add_loop_test(tc, test_sgd_steps, 0, N_GOLDEN_FILES);
    tcase_add_loop_test(tc, test_clipped_warmed_up_sgd_steps, 0, N_GOLDEN_FILES);
    tcase_add_loop_test(tc, test_adam_steps, 0, N_GOLDEN_FILES);
    tcase_add_loop_test(tc, test_greedy_generation, 0, N_GOLDEN_FILES);
    tcase_add_test(tc, test_greedy_ties_go_to_lowest_id);
    tcase_add_loop_test(tc, test_evaluation_loss, 0, N_GOLDEN_FILES);
    tcase_add_loop_test(tc, test_directional_derivative, 0, 2 * N_GOLDEN_FILES);
    suite_add_tcase(s, tc);
    TCase *heads = tcase_create("heads");
    tcase_add_checked_fixture(heads, NULL, conformance_teardown);
    tcase_add_test(heads, test_task_model_from_pretrained);
    tcase_add_loop_test(heads, test_task_batch, 0, N_HEAD_CASES);
    tcase_add_loop_test(heads, test_task_head, 0, N_HEAD_CASES);
    suite_add_tcase(s, heads);
    return s;
}
