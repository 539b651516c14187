// Checkpoints of fine-tuned models: a task model (the language model, its head, W_y and
// the class names) in one file, read back whole or as the language model under the head;
// and checkpoint files written before the task head left Gpt, which must still load and
// give the same outputs.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"
#include "gpt/checkpoint.h"
#include "gpt/task_heads.h"
#include "tests/helpers.h"

static void task_checkpoint_teardown(void) { tape_reset(); }

// Characters "abcde" (ids 0-4), then the task tokens <s> $ <e> (5, 6, 7).
static Tokenizer abcde_task_tokenizer(void) {
    Tokenizer t;
    tokenizer_init_chars(&t, "abcde", 5);
    t.n_task_tokens = N_TASK_TOKENS;
    return t;
}

static char *read_file_bytes(const char *path, long *len) {
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s: cannot open", path);
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    rewind(f);
    char *bytes = malloc((size_t)*len);
    ck_assert_ptr_nonnull(bytes);
    ck_assert_uint_eq(fread(bytes, 1, (size_t)*len, f), (size_t)*len);
    fclose(f);
    return bytes;
}

static void assert_same_bytes(const char *path, const char *expected_path) {
    long n, expected_n;
    char *bytes = read_file_bytes(path, &n), *expected = read_file_bytes(expected_path, &expected_n);
    ck_assert_msg(n == expected_n && memcmp(bytes, expected, (size_t)n) == 0, "%s (%ld bytes) differs from %s (%ld bytes)",
                  path, n, expected_path, expected_n);
    free(bytes);
    free(expected);
}

static void assert_same_head(const TaskHeadConfig *a, const TaskHeadConfig *b) {
    ck_assert_int_eq(a->task, b->task);
    ck_assert_int_eq(a->n_outputs, b->n_outputs);
    ck_assert_int_eq(a->combine, b->combine);
    ck_assert_int_eq(a->regression, b->regression);
}

// task_checkpoint_save, then task_checkpoint_load gives the task model back; checkpoint_load
// gives the language model under it (the same weights, without W_y); and the two kinds of
// checkpoint cannot be mistaken for each other.
START_TEST(test_task_checkpoint_round_trip) {
    GptConfig config = {1, 8, 2, 16, 12, 8, ACTIVATION_GELU, 0.1f};
    TaskHeadConfig head = {TASK_ENTAIL, 3, COMBINE_CONCAT, false};
    TaskModel *model = task_model_create(&config, &head);
    gpt_init_weights(model->gpt, 8);
    spread_parameters(&model->gpt->params, 9, 0.3f);
    char *labels[] = {"entailment", "neutral", "contradiction"};
    task_model_set_label_names(model, labels, 3);
    Tokenizer tokenizer = abcde_task_tokenizer();
    TrainingState state = {.step = 3};
    char error[256];
    const char *path = temp_file("task.ckpt"), *lm_path = temp_file("lm.ckpt");
    ck_assert_msg(task_checkpoint_save(path, model, &tokenizer, &state, error, sizeof error), "%s", error);
    ck_assert(checkpoint_has_task_head(path));

    TaskModel *loaded = task_checkpoint_load(path, NULL, NULL, error, sizeof error);
    ck_assert_msg(loaded != NULL, "%s", error);
    ck_assert(config_equal(&loaded->gpt->config, &config));
    assert_same_head(&loaded->head, &head);
    ck_assert_int_eq(loaded->n_label_names, 3);
    for (int i = 0; i < 3; i++) ck_assert_str_eq(loaded->label_names[i], labels[i]);
    const ParameterTable *saved = &model->gpt->params;
    ck_assert_int_eq(loaded->gpt->params.count, saved->count);
    ck_assert_int_eq(memcmp(loaded->gpt->params.data, saved->data, sizeof(float) * (size_t)saved->total), 0);
    ck_assert_ptr_eq(loaded->w_y.weight, parameter_find(&loaded->gpt->params, "head.weight"));
    ck_assert_uint_eq(loaded->gpt->dropout_rng.state, model->gpt->dropout_rng.state);

    Gpt *lm = checkpoint_load(path, NULL, NULL, error, sizeof error);
    ck_assert_msg(lm != NULL, "%s", error);
    ck_assert_int_eq(lm->params.count, saved->count - 2);  // all but head.weight and head.bias
    ck_assert_ptr_null(parameter_find(&lm->params, "head.weight"));
    ck_assert_int_eq(lm->params.total, config_parameter_count(&config));
    ck_assert_int_eq(memcmp(lm->params.data, saved->data, sizeof(float) * (size_t)lm->params.total), 0);

    // the Gpt of a task model holds W_y: without its head it would make an unreadable file
    ck_assert(!checkpoint_save(lm_path, model->gpt, &tokenizer, &state, error, sizeof error));
    ck_assert_msg(strstr(error, "a task model is saved with task_checkpoint_save") != NULL, "%s", error);
    ck_assert_msg(checkpoint_save(lm_path, lm, &tokenizer, &state, error, sizeof error), "%s", error);
    ck_assert(!checkpoint_has_task_head(lm_path));
    ck_assert_ptr_null(task_checkpoint_load(lm_path, NULL, NULL, error, sizeof error));
    ck_assert_msg(strstr(error, "a language model without a task head") != NULL, "%s", error);

    remove(path);
    remove(lm_path);
    gpt_free(lm);
    task_model_free(loaded);
    task_model_free(model);
    tokenizer_free(&tokenizer);
}
END_TEST

// --- Files written before the task head left Gpt --------------------------------------
// tests/data/checkpoint_v1_*.bin were written by checkpoint_save when GptConfig still held
// the head and Gpt held W_y and the class names (format version 1, which is unchanged):
// one block, d 8, 2 heads, d_ff 16, n_ctx 12, the characters "abcde"; weights drawn by
// gpt_init_weights(seed) and then spread as spread_parameters(params, seed + 1, 0.3) does; step 5
// or 9. The expected numbers are the outputs that code gave for these files.

typedef struct OldCheckpoint {
    const char *path;
    GptConfig config;
    TaskHeadConfig head;        // task TASK_NONE: a language model's checkpoint
    const char *labels[3];
    float outputs[3];           // task_predict on <s> abc $ dea <e> (and its BA order, for similarity)
    int tokens[4];              // gpt_logits of these tokens ...
    float last_logits[8];       // ... at the last position
} OldCheckpoint;

static const OldCheckpoint OLD_CHECKPOINTS[] = {
    {"tests/data/checkpoint_v1_entail.bin", {1, 8, 2, 16, 12, 8, ACTIVATION_GELU, 0.1f},
     {TASK_ENTAIL, 3, COMBINE_CONCAT, false}, {"entailment", "neutral", "contradiction"},
     {0.185596362f, 0.503058672f, 0.311344981f}, {5, 0, 1, 2},
     {0.739964008f, 0.466382772f, -0.692065299f, -1.31875801f, 0.646841943f, 0.338688403f, -0.635677099f,
      0.181437925f}},
    {"tests/data/checkpoint_v1_similar.bin", {1, 8, 2, 16, 12, 8, ACTIVATION_GELU, 0.1f},
     {TASK_SIMILAR, 1, COMBINE_ADD, true}, {NULL}, {-0.698295057f}, {5, 0, 1, 2},
     {1.07156861f, -1.82471061f, 1.10381913f, 0.772053003f, 0.564410925f, -1.03860247f, -1.57006848f,
      -0.568544924f}},
    {"tests/data/checkpoint_v1_lm.bin", {1, 8, 2, 16, 12, 5, ACTIVATION_RELU, 0.0f}, {TASK_NONE, 0, 0, false},
     {NULL}, {0}, {4, 0, 1, 2}, {1.4452858f, -1.08986247f, 1.151456f, -0.96086514f, -0.29936856f}},
};
enum { N_OLD_CHECKPOINTS = 3 };

// Loaded as a language model (the head, if any, left in the file): the same logits.
static void check_old_language_model(const OldCheckpoint *old) {
    char error[256];
    Tokenizer tokenizer;
    TrainingState state;
    Gpt *lm = checkpoint_load(old->path, &tokenizer, &state, error, sizeof error);
    ck_assert_msg(lm != NULL, "%s", error);
    ck_assert(config_equal(&lm->config, &old->config));
    ck_assert_int_eq(state.step, old->head.task == TASK_NONE ? 9 : 5);
    Tensor *logits = gpt_logits(lm, old->tokens, 1, 4);
    assert_close(logits->data + 3 * old->config.vocab_size, old->last_logits, old->config.vocab_size, 1e-5f,
                 "the logits of a version-1 checkpoint");
    tape_reset();
    if (old->head.task == TASK_NONE) {  // written again: the very same bytes
        const char *path = temp_file("old_lm.ckpt");
        ck_assert_msg(checkpoint_save(path, lm, &tokenizer, &state, error, sizeof error), "%s", error);
        assert_same_bytes(path, old->path);
        remove(path);
        ck_assert_ptr_null(task_checkpoint_load(old->path, NULL, NULL, error, sizeof error));
    }
    gpt_free(lm);
    tokenizer_free(&tokenizer);
}

// Loaded as a task model: the same head, class names and predictions; written again by
// task_checkpoint_save, the very same bytes.
static void check_old_task_model(const OldCheckpoint *old) {
    char error[256];
    Tokenizer tokenizer;
    TrainingState state;
    TaskModel *model = task_checkpoint_load(old->path, &tokenizer, &state, error, sizeof error);
    ck_assert_msg(model != NULL, "%s", error);
    assert_same_head(&model->head, &old->head);
    int n_labels = old->labels[0] != NULL ? 3 : 0;
    ck_assert_int_eq(model->n_label_names, n_labels);
    for (int i = 0; i < n_labels; i++) ck_assert_str_eq(model->label_names[i], old->labels[i]);
    static const int premise[] = {0, 1, 2}, hypothesis[] = {3, 4, 0};
    EncodedExample example = {.n_fields = 2, .fields = {{premise, 3}, {hypothesis, 3}}};
    float outputs[3];
    task_predict(model, &tokenizer, &example, 1, 1, outputs);
    assert_close(outputs, old->outputs, output_width(&model->head, &example), 1e-5f,
                 "the predictions of a version-1 checkpoint");
    const char *path = temp_file("old_task.ckpt");
    ck_assert_msg(task_checkpoint_save(path, model, &tokenizer, &state, error, sizeof error), "%s", error);
    assert_same_bytes(path, old->path);
    remove(path);
    task_model_free(model);
    tokenizer_free(&tokenizer);
}

START_TEST(test_version_1_checkpoints_load) {
    const OldCheckpoint *old = &OLD_CHECKPOINTS[_i];
    check_old_language_model(old);
    if (old->head.task != TASK_NONE) check_old_task_model(old);
}
END_TEST

Suite *task_checkpoint_suite(void) {
    Suite *s = suite_create("task_checkpoint");
    TCase *tc = tcase_create("task checkpoints");
    tcase_add_checked_fixture(tc, NULL, task_checkpoint_teardown);
    tcase_add_test(tc, test_task_checkpoint_round_trip);
    tcase_add_loop_test(tc, test_version_1_checkpoints_load, 0, N_OLD_CHECKPOINTS);
    suite_add_tcase(s, tc);
    return s;
}
