// Section 5 and Figure 2 of the paper: the log-probability of a continuation that the
// zero-shot heuristics rest on (against L1 computed by the loss op), the heuristics
// through gpt zeroshot on a model that has learned one sentence, and the blocks that
// --transfer-layers starts afresh.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"
#include "gpt/task_model.h"
#include "gpt/transfer.h"
#include "gpt/zeroshot.h"
#include "tests/gpt1_fixture.h"
#include "tests/helpers.h"

static const GptConfig ZS_CONFIG = {2, 16, 2, 32, 8, 20, ACTIVATION_GELU, 0.0f};

// Σ log P over the last n_scored predictions of `sequence`, through lm_loss (the
// cross-entropy op): an independent path to the same number.
static double log_prob_by_loss(Gpt *model, const int *sequence, int n, int n_scored) {
    int targets[16];
    for (int i = 0; i < n - 1; i++) targets[i] = i >= n - 1 - n_scored ? sequence[i + 1] : -1;
    EvaluationMode saved = gpt_begin_evaluation(model);
    double value = -(double)lm_loss(gpt_logits(model, sequence, 1, n - 1), targets)->data[0] * n_scored;
    tape_reset();
    gpt_end_evaluation(model, saved);
    return value;
}

START_TEST(test_continuation_log_prob) {
    Gpt *model = fixture_model(&ZS_CONFIG, 21);
    int context[10] = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3}, continuation[12] = {5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2};
    int scored;
    double got = continuation_log_prob(model, context, 5, continuation, 3, &scored);
    int joined[8] = {3, 1, 4, 1, 5, 5, 8, 9};
    ck_assert_int_eq(scored, 3);
    ck_assert_msg(fabs(got - log_prob_by_loss(model, joined, 8, 3)) < 1e-4, "%f", got);
    ck_assert(got < 0.0);
    // 10 + 3 tokens do not fit in n_ctx 8: the context keeps its last 6 tokens
    got = continuation_log_prob(model, context, 10, continuation, 3, &scored);
    int window[9] = {9, 2, 6, 5, 3, 5, 8, 9, 7};
    memcpy(window, context + 4, sizeof(int) * 6), memcpy(window + 6, continuation, sizeof(int) * 3);
    ck_assert(scored == 3 && fabs(got - log_prob_by_loss(model, window, 9, 3)) < 1e-4);
    // a continuation longer than n_ctx - 1: its first 7 tokens after the last 2 of the context
    got = continuation_log_prob(model, context, 10, continuation, 12, &scored);
    int long_window[9] = {5, 3};
    memcpy(long_window + 2, continuation, sizeof(int) * 7);
    ck_assert(scored == 7 && fabs(got - log_prob_by_loss(model, long_window, 9, 7)) < 1e-4);
    // no context: the first token has nothing to be predicted from
    got = continuation_log_prob(model, NULL, 0, continuation, 4, &scored);
    ck_assert(scored == 3 && fabs(got - log_prob_by_loss(model, continuation, 4, 3)) < 1e-4);
    ck_assert(fabs(mean_log_prob(model, NULL, 0, continuation, 4) - got / 3) < 1e-9);
    ck_assert(continuation_log_prob(model, context, 3, continuation, 0, &scored) == 0.0 && scored == 0);
    ck_assert(isinf(mean_log_prob(model, NULL, 0, continuation, 1)));
    double p = continuation_log_prob(model, context, 4, continuation, 2, &scored);
    double q = continuation_log_prob(model, context, 4, continuation + 5, 2, &scored);
    ck_assert_int_eq(sentiment_guess(model, context, 4, continuation, 2, continuation + 5, 2), p > q ? 1 : 0);
    ck_assert_int_eq(sentiment_guess(model, context, 4, continuation + 5, 2, continuation, 2), q > p ? 1 : 0);
    gpt_free(model);
}
END_TEST

// --transfer-layers N: blocks N.. get their initial values again, nothing else changes;
// weights N(0, 0.02²), or N(0, 1/fan_in) with WEIGHTS_FAN_IN (fan_in: their first dimension).
static void check_reinitialize_blocks(WeightScale scale) {
    GptConfig config = {3, 16, 2, 32, 8, 20, ACTIVATION_RELU, 0.0f};
    TaskHeadConfig head = {TASK_CLASSIFY, 2, COMBINE_CONCAT, false};
    TaskModel *task = task_model_create(&config, &head), *original_task = task_model_create(&config, &head);
    Gpt *model = task->gpt, *original = original_task->gpt;  // W_y is in their tables too
    Rng rng;
    rng_seed(&rng, 22);
    for (long i = 0; i < model->params.total; i++) model->params.data[i] = original->params.data[i] = rng_normal(&rng, 0, 0.3f);
    reinitialize_blocks_from(model, 1, 5, scale);
    for (int i = 0; i < model->params.count; i++) {
        const Tensor *t = &model->params.items[i]->tensor, *o = &original->params.items[i]->tensor;
        bool kept = strncmp(t->name, "blocks.", 7) != 0 || strncmp(t->name, "blocks.0.", 9) == 0;
        if (kept) {
            ck_assert_msg(memcmp(t->data, o->data, sizeof(float) * (size_t)t->size) == 0, "%s changed", t->name);
            continue;
        }
        double sum = 0, squares = 0;
        for (long j = 0; j < t->size; j++) sum += t->data[j], squares += (double)t->data[j] * t->data[j];
        ParameterInit init = model->params.items[i]->init;
        double expected = scale == WEIGHTS_FAN_IN ? 1.0 / sqrt(t->shape.dims[0]) : 0.02, std = sqrt(squares / t->size);
        if (init == INIT_NORMAL)
            ck_assert_msg(fabs(std - expected) < 0.2 * expected, "%s: std %f, expected %f", t->name, std, expected);
        else
            ck_assert_msg(sum == (init == INIT_ONES ? (double)t->size : 0.0), "%s: not its initial value", t->name);
    }
    task_model_free(task), task_model_free(original_task);
}

START_TEST(test_reinitialize_blocks) {
    check_reinitialize_blocks(WEIGHTS_GPT1);
    check_reinitialize_blocks(WEIGHTS_FAN_IN);
}
END_TEST

static const char *write_lines(const char *name, const char *text) {
    const char *path = temp_file(name);
    write_text_file(path, text);
    return path;
}

// A model that has learned one sentence guesses by it: "very" is followed by
// "positive", its words beat the same words spelled backwards, and the ending it knows
// is chosen. (A small model and 60 steps: the test also runs under the sanitizers.)
START_TEST(test_zeroshot_command) {
    char text[8192] = "", args[1024], ckpt[256];
    for (int i = 0; i < 150; i++) strcat(text, "the cat sat on the mat, it was very positive. ");
    const char *data = write_lines("zs_text.txt", text);
    snprintf(ckpt, sizeof ckpt, "%s", temp_file("zs.ckpt"));
    snprintf(args, sizeof args, "pretrain --data %s --preset nano --layers 1 --d-model 32 --heads 2 --d-ff 64 --ctx 16 "
             "--steps 60 --batch 8 --lr 0.5 --out %s --sample-tokens 0 --quiet", data, ckpt);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    const char *sentiment = write_lines("zs_sst.tsv", "the mat\t1\nit was\t0\nthe cat\t1\non the\t1\n");
    snprintf(args, sizeof args, "zeroshot --ckpt %s --task sentiment --data %s --format tsv", ckpt, sentiment);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "accuracy: 0.7500"));
    ck_assert_ptr_nonnull(strstr(gpt_output, "4 of 4 guessed positive"));
    const char *choice = write_lines("zs_choice.tsv", "the cat sat on\tthe mat,\tthe sky!\t1\nit was very\txqz vvv\tpositive.\t2\n");
    snprintf(args, sizeof args, "zeroshot --ckpt %s --task choice --data %s --format tsv", ckpt, choice);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "accuracy: 1.0000"));
    const char *acceptability = write_lines("zs_acc.tsv", "the cat sat on the mat\t1\ntam eht no tas tac eht\t0\n"
                                                          "it was very positive\t1\nevitisop yrev saw ti\t0\n"
                                                          "the cat sat on the mat, it was very positive\t1\n");
    const char *thresholds[][2] = {{"--threshold -1000", "accuracy: 0.6000"}, {"--threshold 1000", "accuracy: 0.4000"},
                                   {"", "accuracy: 1.0000"}};
    for (int i = 0; i < 3; i++) {
        snprintf(args, sizeof args, "zeroshot --ckpt %s --task acceptability --data %s --format tsv %s", ckpt,
                 acceptability, thresholds[i][0]);
        ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
        ck_assert_msg(strstr(gpt_output, thresholds[i][1]) != NULL, "%s: %s", thresholds[i][0], gpt_output);
    }
    snprintf(args, sizeof args, "zeroshot --ckpt %s --task parse --data %s", ckpt, sentiment);
    assert_usage_error(args, "--task must be sentiment, choice or acceptability, got 'parse'");
    const char *three = write_lines("zs_three.tsv", "a\tx\nb\ty\nc\tz\n");
    snprintf(args, sizeof args, "zeroshot --ckpt %s --task sentiment --data %s --format tsv", ckpt, three);
    assert_usage_error(args, "sentiment needs two classes named 0/1");
    assert_usage_error("zeroshot --task choice --data x", "--ckpt, --task and --data are required");
    const char *train = write_lines("zs_train.tsv", "the cat sat\tcat\nthe mat\tmat\nit was\tcat\nvery positive\tmat\n");
    snprintf(args, sizeof args, "finetune --task classify --ckpt %s --train %s --epochs 1 --transfer-layers 2 --out %s",
             ckpt, train, temp_file("zs_task.ckpt"));
    assert_usage_error(args, "--transfer-layers 2: ");
    ck_assert_ptr_nonnull(strstr(gpt_output, "has 1 decoder block"));
    snprintf(args, sizeof args, "finetune --task classify --ckpt %s --train %s --epochs 1 --transfer-layers 1 "
             "--no-pretrain --out %s", ckpt, train, temp_file("zs_task.ckpt"));
    assert_usage_error(args, "cannot go with --no-pretrain");
    snprintf(args, sizeof args, "finetune --task classify --ckpt %s --train %s --epochs 1 --transfer-layers 0 "
             "--quiet --out %s", ckpt, train, temp_file("zs_task.ckpt"));
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "the embeddings and 0 of 1 blocks transferred"));
    snprintf(args, sizeof args, "zeroshot --ckpt %s --task choice --data %s --format tsv", temp_file("zs_task.ckpt"), choice);
    ck_assert_msg(run_gpt(args) == 0, "the language model under a fine-tuned checkpoint: %s", gpt_output);
    const char *files[] = {data, ckpt, sentiment, choice, acceptability, three, train, temp_file("zs_task.ckpt")};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) remove(files[i]);
}
END_TEST

Suite *zeroshot_suite(void) {
    Suite *s = suite_create("zeroshot");
    TCase *tc = tcase_create("zeroshot");
    tcase_add_test(tc, test_continuation_log_prob);
    tcase_add_test(tc, test_reinitialize_blocks);
    tcase_add_test(tc, test_zeroshot_command);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}
