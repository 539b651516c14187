// gpt/: the whole model, pre-training, sampling, evaluation and checkpoints.
// getpid is POSIX.
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "autograd/tape.h"
#include "gpt/checkpoint.h"
#include "gpt/io/crc32.h"
#include "gpt/evaluate.h"
#include "gpt/io/log_file.h"
#include "gpt/pretrain.h"
#include "gpt/io/replace_file.h"
#include "gpt/sample.h"
#include "gpt/step_memory.h"
#include "gpt/task_model.h"
#include "tests/helpers.h"

static const GptConfig SMALL = {2, 16, 2, 32, 8, 11, ACTIVATION_RELU, 0.0f};

static void gpt_teardown(void) { tape_reset(); }

static Gpt *small_model(GptConfig config, uint64_t seed) {
    Gpt *model = gpt_create(&config);
    gpt_init_weights(model, seed);
    return model;
}

START_TEST(test_gpt1_parameter_count) {
    const Preset *gpt1 = preset_find("gpt1");
    ck_assert_ptr_nonnull(gpt1);
    ck_assert_int_eq(gpt1->config.vocab_size, 40478);
    ck_assert_int_eq(config_parameter_count(&gpt1->config), 116534784L);
    ck_assert_int_eq(gpt1->config.activation, ACTIVATION_GELU);
    Gpt *model = small_model(SMALL, 1);
    ck_assert_int_eq(model->params.total, config_parameter_count(&SMALL));
    gpt_free(model);
    ck_assert_ptr_null(preset_find("huge"));
}
END_TEST

// WEIGHTS_FAN_IN: the same normal draws as WEIGHTS_GPT1, in the same order, with
// σ = 1/√fan_in instead of 0.02: 1/√d for the embeddings, the attention and the FFN's
// first layer, 1/√d_ff for its second; the head keeps 0.02; biases 0, LayerNorm gains 1.
START_TEST(test_fan_in_weights) {
    GptConfig config = {1, 16, 2, 64, 8, 11, ACTIVATION_RELU, 0.0f};
    TaskHeadConfig head = {TASK_CLASSIFY, 2, COMBINE_CONCAT, false};
    TaskModel *paper_task = task_model_create(&config, &head), *fan_in_task = task_model_create(&config, &head);
    Gpt *paper = paper_task->gpt, *fan_in = fan_in_task->gpt;  // W_y is in their tables too
    gpt_init_weights(paper, 4);
    gpt_init_weights_as(fan_in, 4, WEIGHTS_FAN_IN);
    struct { const char *name; float std; } expected[] = {
        {"wte.weight", 0.25f},  {"wpe.weight", 0.25f}, {"blocks.0.attn.c_attn.weight", 0.25f},
        {"blocks.0.attn.c_proj.weight", 0.25f}, {"blocks.0.mlp.c_fc.weight", 0.25f},
        {"blocks.0.mlp.c_proj.weight", 0.125f}, {"head.weight", 0.02f},
    };
    for (size_t k = 0; k < sizeof expected / sizeof expected[0]; k++) {
        const Tensor *a = parameter_find(&paper->params, expected[k].name), *b = parameter_find(&fan_in->params, expected[k].name);
        for (long j = 0; j < a->size; j++)
            ck_assert_msg(fabsf(b->data[j] - a->data[j] * (expected[k].std / 0.02f)) <= 1e-6f * fabsf(b->data[j]) + 1e-12f,
                          "%s[%ld]: %g, expected %g", expected[k].name, j, b->data[j], a->data[j] * expected[k].std / 0.02f);
    }
    for (int i = 0; i < fan_in->params.count; i++) {
        const Parameter *p = fan_in->params.items[i];
        for (long j = 0; p->init != INIT_NORMAL && j < p->tensor.size; j++)
            ck_assert_float_eq(p->tensor.data[j], p->init == INIT_ONES ? 1.0f : 0.0f);
    }
    WeightScale scale;
    ck_assert(weight_scale_from_name("fan-in", &scale) && scale == WEIGHTS_FAN_IN);
    ck_assert(weight_scale_from_name("gpt1", &scale) && scale == WEIGHTS_GPT1);
    ck_assert(!weight_scale_from_name("xavier", &scale));
    ck_assert_str_eq(weight_scale_name(WEIGHTS_FAN_IN), "fan-in");
    task_model_free(paper_task), task_model_free(fan_in_task);
}
END_TEST

START_TEST(test_config_validation) {
    char error[128];
    GptConfig c = SMALL;
    ck_assert(config_validate(&c, error, sizeof error));
    c.n_heads = 3;
    ck_assert(!config_validate(&c, error, sizeof error));
    ck_assert_ptr_nonnull(strstr(error, "n_heads (3) must divide d_model (16)"));
    c = SMALL;
    c.n_ctx = 0;
    ck_assert(!config_validate(&c, error, sizeof error));
    ck_assert_ptr_nonnull(strstr(error, "n_ctx"));
    c = SMALL;
    c.n_ctx = 2;  // a language model may be this short; <s> $ <e> do not fit
    ck_assert(config_validate(&c, error, sizeof error));
    TaskHeadConfig head = {.task = TASK_ENTAIL, .n_outputs = 3};
    ck_assert(!task_head_validate(&c, &head, error, sizeof error));
    ck_assert_str_eq(error, "the entail head needs n_ctx of at least 3 (for <s> $ <e>), got 2");
    c.n_ctx = 3;
    ck_assert(task_head_validate(&c, &head, error, sizeof error));
    head.n_outputs = 0;
    ck_assert(!task_head_validate(&c, &head, error, sizeof error));
    ck_assert_str_eq(error, "the entail head needs at least one output, got 0");
}
END_TEST

// With N(0, 0.02) weights the logits are nearly equal: the loss is close to ln(vocab).
START_TEST(test_untrained_loss_is_log_vocab) {
    GptConfig c = SMALL;
    c.vocab_size = 256;
    Gpt *model = small_model(c, 3);
    Rng rng;
    rng_seed(&rng, 4);
    int inputs[4 * 8], targets[4 * 8];
    for (int i = 0; i < 32; i++) inputs[i] = rng_below(&rng, 256), targets[i] = rng_below(&rng, 256);
    Tensor *loss = lm_loss(gpt_logits(model, inputs, 4, 8), targets);
    ck_assert_double_eq_tol(loss->data[0], log(256.0), 0.05);
    gpt_free(model);
}
END_TEST

// Training on one short repeated pattern with plain SGD drives the loss near zero.
START_TEST(test_overfits_repeated_text) {
    Gpt *model = small_model(SMALL, 5);
    int pattern[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    int ids[400];
    for (int i = 0; i < 400; i++) ids[i] = pattern[i % 10];
    TokenSequence data = {ids, 400};
    Batch batch = batch_create(8, 8);
    Rng rng;
    rng_seed(&rng, 6);
    SgdOptions sgd = {.lr = 0.5f};
    float first = 0, last = 0;
    for (int step = 0; step < 400; step++) {
        batch_sample(&batch, &data, &rng);
        last = train_step(model, &batch, &sgd, sgd.lr);
        if (step == 0) first = last;
    }
    ck_assert_double_gt(first, 2.0);
    ck_assert_double_lt(last, 0.05);
    batch_free(&batch);
    gpt_free(model);
}
END_TEST

static void run_losses(float *losses, int n, uint64_t seed, float dropout) {
    GptConfig c = SMALL;
    c.dropout = dropout;
    Gpt *model = small_model(c, seed);
    gpt_set_training(model, true);
    int ids[200];
    Rng data_rng;
    rng_seed(&data_rng, seed);
    for (int i = 0; i < 200; i++) ids[i] = rng_below(&data_rng, 11);
    TokenSequence data = {ids, 200};
    Batch batch = batch_create(4, 8);
    SgdOptions sgd = {.lr = 0.1f};
    for (int step = 0; step < n; step++) {
        batch_sample(&batch, &data, &data_rng);
        losses[step] = train_step(model, &batch, &sgd, sgd.lr);
    }
    batch_free(&batch);
    gpt_free(model);
}

START_TEST(test_same_seed_same_losses) {
    float a[20], b[20], c[20];
    run_losses(a, 20, 9, 0.1f);
    run_losses(b, 20, 9, 0.1f);
    run_losses(c, 20, 10, 0.1f);
    ck_assert_int_eq(memcmp(a, b, sizeof a), 0);  // bit for bit, dropout included
    ck_assert_int_ne(memcmp(a, c, sizeof a), 0);
}
END_TEST

// The whole stack: a token changed at position t changes no logit before t.
START_TEST(test_model_causality) {
    Gpt *model = small_model(SMALL, 11);
    int tokens[2 * 8] = {1, 2, 3, 4, 5, 6, 7, 8, 8, 7, 6, 5, 4, 3, 2, 1};
    int vocab = SMALL.vocab_size;
    for (int t = 0; t < 8; t++) {
        Tensor *before = gpt_logits(model, tokens, 2, 8);
        int changed[16];
        memcpy(changed, tokens, sizeof changed);
        changed[t] = (changed[t] + 3) % vocab;
        changed[8 + t] = (changed[8 + t] + 5) % vocab;
        Tensor *after = gpt_logits(model, changed, 2, 8);
        for (int b = 0; b < 2; b++) {
            long row = (long)b * 8 * vocab;
            ck_assert_int_eq(memcmp(before->data + row, after->data + row, sizeof(float) * (size_t)(t * vocab)), 0);
            ck_assert_int_ne(memcmp(before->data + row + (long)t * vocab, after->data + row + (long)t * vocab,
                                    sizeof(float) * (size_t)vocab), 0);
        }
        tape_reset();
    }
    gpt_free(model);
}
END_TEST

START_TEST(test_sampling_greedy_and_top_k) {
    Gpt *model = small_model(SMALL, 12);
    int prompt[] = {3, 1, 4};
    SampleOptions greedy = {.n_tokens = 12, .temperature = 0.0f};
    SampleOptions top1 = {.n_tokens = 12, .temperature = 1.0f, .top_k = 1};
    Rng r1, r2, r3;
    rng_seed(&r1, 1), rng_seed(&r2, 2), rng_seed(&r3, 3);
    long n1, n2, n3;
    int *a = generate(model, prompt, 3, &greedy, &r1, &n1);  // longer than n_ctx = 8: a sliding window
    int *b = generate(model, prompt, 3, &greedy, &r2, &n2);
    int *c = generate(model, prompt, 3, &top1, &r3, &n3);
    ck_assert_int_eq(n1, 15);
    ck_assert_int_eq(memcmp(a, b, sizeof(int) * 15), 0);  // greedy ignores the rng
    ck_assert_int_eq(memcmp(a, c, sizeof(int) * 15), 0);  // top-k 1 is greedy
    ck_assert_int_eq(memcmp(a, prompt, sizeof prompt), 0);
    free(a), free(b), free(c);
    // temperature sampling follows the distribution: logits ln 1, ln 3 → P = 1/4, 3/4
    float logits[] = {0.0f, logf(3.0f)};
    SampleOptions t1 = {.temperature = 1.0f};
    Rng rng;
    rng_seed(&rng, 5);
    int ones = 0;
    for (int i = 0; i < 20000; i++) ones += choose_next_token(logits, 2, &t1, &rng);
    ck_assert_double_eq_tol(ones / 20000.0, 0.75, 0.01);
    // temperature 2 divides the logits by 2: ln 1, ln 9 → ln 1, ln 3 → P = 1/4, 3/4 again
    float hot[] = {0.0f, logf(9.0f)};
    SampleOptions t2 = {.temperature = 2.0f};
    ones = 0;
    for (int i = 0; i < 20000; i++) ones += choose_next_token(hot, 2, &t2, &rng);
    ck_assert_double_eq_tol(ones / 20000.0, 0.75, 0.01);
    gpt_free(model);
}
END_TEST

// Evaluation windows: 20 tokens with n_ctx 8 make two windows of 9 (8 predictions
// each) and a tail of 2 (1 prediction): 17 predictions, each counted once.
START_TEST(test_evaluation_windows) {
    Gpt *model = small_model(SMALL, 13);
    int ids[20];
    for (int i = 0; i < 20; i++) ids[i] = (i * 7) % 11;
    TokenSequence data = {ids, 20};
    long scored;
    double loss = evaluate_lm_loss(model, &data, 4, 0, &scored);
    ck_assert_int_eq(scored, 17);
    double expected = 0;
    int starts[] = {0, 9, 18}, lengths[] = {8, 8, 1};
    for (int w = 0; w < 3; w++) {
        Tensor *l = lm_loss(gpt_logits(model, ids + starts[w], 1, lengths[w]), ids + starts[w] + 1);
        expected += (double)l->data[0] * lengths[w];
    }
    ck_assert_double_eq_tol(loss, expected / 17, 1e-6);
    gpt_free(model);
}
END_TEST

START_TEST(test_checkpoint_round_trip) {
    GptConfig c = SMALL;
    c.activation = ACTIVATION_GELU;
    c.dropout = 0.1f;
    Gpt *model = small_model(c, 14);
    Tokenizer tokenizer;
    tokenizer_init_chars(&tokenizer, "abcdefghijk", 11);
    TrainingState state = {.step = 42};
    rng_seed(&state.data_rng, 77);
    char error[256];
    const char *path = temp_file("roundtrip");
    ck_assert_msg(checkpoint_save(path, model, &tokenizer, &state, error, sizeof error), "%s", error);
    Tokenizer loaded_tokenizer;
    TrainingState loaded_state;
    Gpt *loaded = checkpoint_load(path, &loaded_tokenizer, &loaded_state, error, sizeof error);
    ck_assert_msg(loaded != NULL, "%s", error);
    ck_assert(config_equal(&loaded->config, &model->config));
    ck_assert_int_eq(loaded->params.total, model->params.total);
    ck_assert_int_eq(memcmp(loaded->params.data, model->params.data, sizeof(float) * (size_t)model->params.total), 0);
    ck_assert_int_eq(loaded_state.step, 42);
    ck_assert_uint_eq(loaded_state.data_rng.state, state.data_rng.state);
    ck_assert_uint_eq(loaded->dropout_rng.state, model->dropout_rng.state);
    ck_assert_int_eq(loaded_tokenizer.kind, TOKENIZER_CHARS);
    ck_assert_int_eq(memcmp(loaded_tokenizer.id_to_byte, "abcdefghijk", 11), 0);
    gpt_free(loaded);
    model->params.data[5] = NAN;  // a diverged model is never saved over a good checkpoint
    ck_assert(!checkpoint_save(path, model, &tokenizer, &state, error, sizeof error));
    ck_assert_msg(strstr(error, "step 42: a weight became non-finite") != NULL, "%s", error);
    loaded = checkpoint_load(path, NULL, NULL, error, sizeof error);
    ck_assert_msg(loaded != NULL, "%s", error);
    ck_assert(isfinite(loaded->params.data[5]));
    remove(path);
    gpt_free(model);
    gpt_free(loaded);
}
END_TEST

// Writes a valid checkpoint, damages it with `damage`, and returns the load error.
static const char *load_damaged(void (*damage)(const char *path)) {
    Gpt *model = small_model(SMALL, 15);
    Tokenizer tokenizer;
    tokenizer_init_chars(&tokenizer, "0123456789a", 11);
    TrainingState state = {0};
    static char error[256];
    const char *path = temp_file("damaged");
    ck_assert(checkpoint_save(path, model, &tokenizer, &state, error, sizeof error));
    damage(path);
    Gpt *loaded = checkpoint_load(path, NULL, NULL, error, sizeof error);
    ck_assert_ptr_null(loaded);
    remove(path);
    gpt_free(model);
    return error;
}

static void rewrite_byte(const char *path, long offset, int value) {
    FILE *f = fopen(path, "r+b");
    fseek(f, offset, SEEK_SET);
    fputc(value, f);
    fclose(f);
}

static void truncate_file(const char *path) {
    size_t len;
    char error[64];
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    len = (size_t)ftell(f);
    fclose(f);
    (void)error;
    char *bytes = malloc(len);
    f = fopen(path, "rb");
    ck_assert_uint_eq(fread(bytes, 1, len, f), len);
    fclose(f);
    f = fopen(path, "wb");
    fwrite(bytes, 1, len - 100, f);
    fclose(f);
    free(bytes);
}

// Rewrites one byte and the CRC after it, so that the check of that field is reached.
static void rewrite_byte_with_crc(const char *path, long offset, int value) {
    rewrite_byte(path, offset, value);
    FILE *f = fopen(path, "r+b");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    unsigned char *bytes = malloc((size_t)size);
    fseek(f, 0, SEEK_SET);
    ck_assert_uint_eq(fread(bytes, 1, (size_t)size, f), (size_t)size);
    uint32_t crc = crc32_update(0, bytes, (size_t)size - 4);
    fseek(f, size - 4, SEEK_SET);
    for (int k = 0; k < 4; k++) fputc((int)(crc >> (8 * k)) & 0xFF, f);
    fclose(f);
    free(bytes);
}

static void flip_a_weight_bit(const char *path) { rewrite_byte(path, 400, 0x5A); }
static void unknown_activation(const char *path) { rewrite_byte_with_crc(path, 44, 7); }  // config.activation
static void unknown_head_task(const char *path) { rewrite_byte_with_crc(path, 52, 9); }    // head.task
static void head_without_outputs(const char *path) { rewrite_byte_with_crc(path, 52, 1); }  // classify, 0 outputs
static void wrong_magic(const char *path) { rewrite_byte(path, 0, 'X'); }
static void wrong_version(const char *path) { rewrite_byte(path, 8, 9); }

START_TEST(test_checkpoint_rejects_damage) {
    ck_assert_ptr_nonnull(strstr(load_damaged(truncate_file), "truncated"));
    ck_assert_ptr_nonnull(strstr(load_damaged(flip_a_weight_bit), "CRC mismatch"));
    ck_assert_ptr_nonnull(strstr(load_damaged(wrong_magic), "not a gpt1.c checkpoint"));
    ck_assert_ptr_nonnull(strstr(load_damaged(wrong_version), "version 9"));
    const char *error_text = load_damaged(unknown_activation);
    ck_assert_msg(strstr(error_text, "config.activation: expected 0 (relu) or 1 (gelu), got 7") != NULL, "%s", error_text);
    error_text = load_damaged(unknown_head_task);
    ck_assert_msg(strstr(error_text, "invalid task head: head.task: expected 0 (none) to 4 (choice), got 9") != NULL,
                  "%s", error_text);
    error_text = load_damaged(head_without_outputs);
    ck_assert_msg(strstr(error_text, "the classify head needs at least one output, got 0") != NULL, "%s", error_text);
    char error[256];
    ck_assert_ptr_null(checkpoint_load("/nonexistent/x.ckpt", NULL, NULL, error, sizeof error));
    ck_assert_ptr_nonnull(strstr(error, "cannot open"));
}
END_TEST

static void assert_file_holds(const char *path, const char *expected) {
    char text[64] = "";
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    ck_assert_str_eq(text, expected);
}

// A checkpoint (or any output) is replaced only by a completely written file.
START_TEST(test_replace_file_is_all_or_nothing) {
    const char *path = temp_file("replaced");
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    FILE *f = replace_file_open(path);
    fputs("first", f);
    ck_assert(replace_file_commit(f, path, true));
    assert_file_holds(path, "first");
    f = replace_file_open(path);
    fputs("second, half written", f);
    ck_assert(!replace_file_commit(f, path, false));  // a write failed on the way
    assert_file_holds(path, "first");
    ck_assert_ptr_null(fopen(tmp, "rb"));  // and the temporary file is gone
    ck_assert_ptr_null(replace_file_open("/nonexistent/dir/x.ckpt"));
    remove(path);
}
END_TEST

START_TEST(test_sgd_describe) {
    char text[160];
    SgdOptions plain = {.lr = 0.25f};
    ck_assert_str_eq(sgd_describe(&plain, text, sizeof text), "SGD lr 0.25");
    SgdOptions all = {.lr = 0.5f, .clip_norm = 1.0f, .warmup_steps = 100, .decay = LR_COSINE};
    SgdOptions fraction = {.lr = 0.5f, .warmup_fraction = 0.002f, .decay = LR_LINEAR};
    ck_assert_str_eq(sgd_describe(&all, text, sizeof text),
                     "SGD lr 0.5, clipped at norm 1, warm-up 100 steps, cosine decay");
    ck_assert_str_eq(sgd_describe(&fraction, text, sizeof text), "SGD lr 0.5, warm-up 0.2% of the steps, linear decay");
    SgdOptions adam = {.optimizer = OPTIMIZER_ADAM, .lr = 0.001f, .clip_norm = 1.0f};
    ck_assert_str_eq(sgd_describe(&adam, text, sizeof text), "Adam lr 0.001, clipped at norm 1");
}
END_TEST

// A resumed run appends to its log; a new log file gets its header even then.
START_TEST(test_log_file_header_once) {
    const char *path = temp_file("resumed.csv");
    char error[256];
    remove(path);
    FILE *log = log_file_open(path, true, "step,loss", error, sizeof error);  // resumed, new file
    fprintf(log, "1,2.5\n");
    ck_assert(log_file_close(log, path, true, error, sizeof error));
    log = log_file_open(path, true, "step,loss", error, sizeof error);  // resumed again: no second header
    fprintf(log, "2,2.4\n");
    ck_assert(log_file_close(log, path, true, error, sizeof error));
    assert_file_holds(path, "step,loss\n1,2.5\n2,2.4\n");
    ck_assert_ptr_null(log_file_open("/nonexistent/dir/log.csv", false, "step", error, sizeof error));
    ck_assert_ptr_nonnull(strstr(error, "/nonexistent/dir/log.csv: cannot write the log"));
    remove(path);
}
END_TEST

// A run of 12 steps equals a run of 7 steps, saved, loaded and continued for 5.
START_TEST(test_resume_equals_uninterrupted) {
    GptConfig c = SMALL;
    c.dropout = 0.1f;
    int ids[300];
    for (int i = 0; i < 300; i++) ids[i] = (i * i + 3 * i) % 11;
    TokenSequence train = {ids, 260}, val = {ids + 260, 40};
    Tokenizer tokenizer;
    tokenizer_init_chars(&tokenizer, "0123456789a", 11);
    float straight[12], resumed[12];
    PretrainOptions o = {.steps = 12, .batch = 4, .seq = 8, .sgd = {.lr = 0.2f}, .eval_every = 5,
                         .quiet = true, .loss_history = straight};
    PretrainReport report;
    char error[256];
    Gpt *model = small_model(c, 21);
    TrainingState state = {0};
    rng_seed(&state.data_rng, 5);
    ck_assert(pretrain(model, &tokenizer, &state, &train, &val, &o, &report, error, sizeof error));
    gpt_free(model);

    const char *path = temp_file("resume");
    model = small_model(c, 21);
    state = (TrainingState){0};
    rng_seed(&state.data_rng, 5);
    o.steps = 7, o.out = path, o.loss_history = resumed;
    ck_assert(pretrain(model, &tokenizer, &state, &train, &val, &o, &report, error, sizeof error));
    gpt_free(model);
    model = checkpoint_load(path, NULL, &state, error, sizeof error);
    ck_assert_msg(model != NULL, "%s", error);
    ck_assert_int_eq(state.step, 7);
    o.steps = 12;
    ck_assert(pretrain(model, &tokenizer, &state, &train, &val, &o, &report, error, sizeof error));
    ck_assert_int_eq(memcmp(straight, resumed, sizeof straight), 0);
    remove(path);
    gpt_free(model);
}
END_TEST

START_TEST(test_divergence_is_reported) {
    int ids[100];
    for (int i = 0; i < 100; i++) ids[i] = i % 11;
    TokenSequence train = {ids, 100}, val = {ids, 0};
    Tokenizer tokenizer;
    tokenizer_init_chars(&tokenizer, "0123456789a", 11);
    PretrainOptions o = {.steps = 50, .batch = 4, .seq = 8, .sgd = {.lr = 1e6f}, .quiet = true};
    PretrainReport report;
    char error[256];
    Gpt *model = small_model(SMALL, 22);
    TrainingState state = {0};
    ck_assert(!pretrain(model, &tokenizer, &state, &train, &val, &o, &report, error, sizeof error));
    ck_assert_ptr_nonnull(strstr(error, "smaller learning rate"));
    gpt_free(model);
}
END_TEST

// The step memory that sizes are checked against (gpt/step_memory.h) is an estimate of the
// arena's real peak: never below it (or a step that fits would abort), at most a quarter
// above (or sizes that fit would be refused).
START_TEST(test_step_memory_estimate) {
    const GptConfig configs[] = {
        {2, 64, 4, 256, 48, 300, ACTIVATION_GELU, 0.1f},
        {3, 48, 3, 192, 64, 256, ACTIVATION_RELU, 0.0f},
        {1, 128, 8, 64, 32, 1000, ACTIVATION_RELU, 0.0f},
    };
    for (int k = 0; k < 3; k++) {
        const GptConfig *c = &configs[k];
        Gpt *model = small_model(*c, 30);
        Batch batch = batch_create(3, c->n_ctx);
        for (long i = 0; i < 3L * c->n_ctx; i++) batch.inputs[i] = batch.targets[i] = (int)(i % c->vocab_size);
        for (int training = 0; training < 2; training++) {
            step_arena()->peak = 0;
            SgdOptions sgd = {.lr = 0.01f};
            gpt_set_training(model, training);
            if (training) {
                train_step(model, &batch, &sgd, sgd.lr);
            } else {
                EvaluationMode saved = gpt_begin_evaluation(model);
                lm_loss(gpt_logits(model, batch.inputs, 3, c->n_ctx), batch.targets);
                tape_reset();
                gpt_end_evaluation(model, saved);
            }
            double ratio = step_memory_bytes(c, 3, c->n_ctx, training) / (double)step_arena()->peak;
            ck_assert_msg(ratio >= 1.0 && ratio <= 1.25, "config %d, %s: estimate / peak = %.3f", k,
                          training ? "training" : "inference", ratio);
        }
        batch_free(&batch);
        gpt_free(model);
    }
    char error[256];
    GptConfig gpt1 = {12, 768, 12, 3072, 512, 40478, ACTIVATION_GELU, 0.1f};
    ck_assert(step_memory_fits(&gpt1, 1, 512, true, error, sizeof error));
    ck_assert(!step_memory_fits(&gpt1, 64, 512, true, error, sizeof error));
    ck_assert_msg(strstr(error, "a training step of 64 x 512 tokens would need about") != NULL, "%s", error);
}
END_TEST

Suite *gpt_suite(void) {
    Suite *s = suite_create("gpt");
    TCase *tc = tcase_create("model");
    tcase_add_checked_fixture(tc, NULL, gpt_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_gpt1_parameter_count);
    tcase_add_test(tc, test_fan_in_weights);
    tcase_add_test(tc, test_config_validation);
    tcase_add_test(tc, test_untrained_loss_is_log_vocab);
    tcase_add_test(tc, test_same_seed_same_losses);
    tcase_add_test(tc, test_model_causality);
    tcase_add_test(tc, test_sampling_greedy_and_top_k);
    tcase_add_test(tc, test_evaluation_windows);
    tcase_add_test(tc, test_checkpoint_round_trip);
    tcase_add_test(tc, test_checkpoint_rejects_damage);
    tcase_add_test(tc, test_replace_file_is_all_or_nothing);
    tcase_add_test(tc, test_log_file_header_once);
    tcase_add_test(tc, test_sgd_describe);
    tcase_add_test(tc, test_resume_equals_uninterrupted);
    tcase_add_test(tc, test_divergence_is_reported);
    tcase_add_test(tc, test_step_memory_estimate);
    suite_add_tcase(s, tc);
    TCase *training = tcase_create("training");
    tcase_set_tags(training, "slow");  // left out of the valgrind run of CI
    tcase_add_checked_fixture(training, NULL, gpt_teardown);
    tcase_set_timeout(training, 120);
    tcase_add_test(training, test_overfits_repeated_text);
    suite_add_tcase(s, training);
    return s;
}
