// Incremental decoding (nn/kv_cache.c, nn/decoder_block_step.c, gpt/incremental.c):
// the cache's layout, the one-row attention by hand, a block step against the block,
// and on every preset the same logits (within 1e-5) and the same tokens, greedy and
// sampled, as the full recompute, including after the window slides; scoring against
// the cross-entropy of the full pass; branching after a common prefix; no tape.
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"
#include "gpt/incremental.h"
#include "gpt/sample.h"
#include "nn/decoder_block_step.h"
#include "tensor/kernels.h"
#include "tests/helpers.h"

// The tolerance of the issue: the cache's logits within 1e-5 of the full recompute's.
static const float LOGIT_TOLERANCE = 1e-5f;

static void kv_cache_teardown(void) { tape_reset(); }

// Weights of N(0, 0.02) make every attention row nearly uniform and every logit small;
// five times larger makes the heads look at different positions, so that a cache
// holding the wrong rows would show.
static void sharpen(ParameterTable *params, float factor) {
    for (int i = 0; i < params->count; i++)
        if (params->items[i]->init == INIT_NORMAL)
            for (long j = 0; j < params->items[i]->tensor.size; j++) params->items[i]->tensor.data[j] *= factor;
}

START_TEST(test_kv_cache_layout) {
    KVCache cache;
    kv_cache_create(&cache, 2, 2, 3);  // 2 heads of width 2, room for 3 positions
    // two rows of c_attn's output, [Q | K | V] of width 3·4: K at column 4, V at column 8
    float qkv[2][12] = {{0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8}, {0, 0, 0, 0, 11, 12, 13, 14, 15, 16, 17, 18}};
    kv_cache_append(&cache, &qkv[0][4], &qkv[0][8], 2, 12);
    ck_assert_int_eq(cache.length, 2);
    float head0_keys[] = {1, 2, 11, 12}, head1_keys[] = {3, 4, 13, 14}, head1_values[] = {7, 8, 17, 18};
    assert_close(kv_cache_keys(&cache, 0), head0_keys, 4, 0.0f, "head 0 keys");
    assert_close(kv_cache_keys(&cache, 1), head1_keys, 4, 0.0f, "head 1 keys");
    assert_close(kv_cache_values(&cache, 1), head1_values, 4, 0.0f, "head 1 values");
    ck_assert_ptr_eq(kv_cache_keys(&cache, 1), cache.keys + 3 * 2);  // head 1 starts after head 0's capacity
    KVCache copy;
    kv_cache_create(&copy, 2, 2, 3);
    kv_cache_copy(&copy, &cache);
    ck_assert_int_eq(copy.length, 2);
    assert_close(kv_cache_values(&copy, 1), head1_values, 4, 0.0f, "copied head 1 values");
    kv_cache_truncate(&cache, 1);
    ck_assert_int_eq(cache.length, 1);
    kv_cache_reset(&cache);
    ck_assert_int_eq(cache.length, 0);
    kv_cache_free(&copy);
    kv_cache_free(&cache);
}
END_TEST

// softmax(q·Kᵀ/√2)·V by hand: q = [1, 0], keys [0, 0] and [√2·ln 3, 0] give the scores
// 0 and ln 3, the weights 1/4 and 3/4, and with V = [4, 0], [0, 8] the output [1, 6].
START_TEST(test_cached_attention_known_values) {
    Arena *scratch = step_arena();
    size_t in_use = scratch->in_use;
    float k = sqrtf(2.0f) * logf(3.0f);
    float keys[] = {0, 0, k, 0}, values[] = {4, 0, 0, 8}, q[] = {1, 0, 1, 0}, out[4];
    cached_attention(out, q, keys, values, 1, 1, 2, scratch);  // one new row at position 1
    float one_row[] = {1, 6};
    assert_close(out, one_row, 2, 1e-5f, "one row");
    // both rows read at once: row 0 may not see position 1, so it is V[0] itself
    cached_attention(out, q, keys, values, 2, 0, 2, scratch);
    float two_rows[] = {4, 0, 1, 6};
    assert_close(out, two_rows, 4, 1e-5f, "two rows");
    ck_assert_int_eq(scratch->in_use, in_use);  // the temporaries were given back
}
END_TEST

// A block read 4 rows at once and then one row at a time gives the rows of decoder_block
// on the whole sequence; it records nothing on the tape, even with gradients on.
START_TEST(test_block_step_matches_block) {
    enum { D = 16, T = 9, FIRST = 4 };
    Activation activation = _i == 0 ? ACTIVATION_RELU : ACTIVATION_GELU;
    ParameterTable params = {0};
    DecoderBlock block;
    decoder_block_create(&block, &params, "blocks.0", (BlockShape){D, 2, 32, activation}, NULL);
    parameters_allocate(&params);
    Rng rng;
    rng_seed(&rng, 3);
    parameters_init(&params, &rng);
    sharpen(&params, 15.0f);  // N(0, 0.3)
    Tensor *x = tensor_normal(step_arena(), "x", shape3(1, T, D), &rng, 0.0f, 1.0f);
    bool grad = set_grad_enabled(false);
    Tensor *full = decoder_block(&block, x);
    set_grad_enabled(grad);
    ck_assert(the_tape.grad_enabled);
    int nodes = the_tape.n_nodes;
    size_t in_use = step_arena()->in_use;
    KVCache cache;
    kv_cache_create(&cache, 2, D / 2, T);
    float out[T * D];
    decoder_block_step(out, &block, &cache, x->data, FIRST, step_arena());
    for (int p = FIRST; p < T; p++) decoder_block_step(out + p * D, &block, &cache, x->data + p * D, 1, step_arena());
    assert_close(out, full->data, T * D, LOGIT_TOLERANCE, "block rows");
    ck_assert_int_eq(cache.length, T);
    ck_assert_int_eq(the_tape.n_nodes, nodes);
    ck_assert_int_eq(step_arena()->in_use, in_use);
    // the comparison can fail: a cached key off by 0.5 changes the last row
    kv_cache_truncate(&cache, T - 1);
    kv_cache_keys(&cache, 0)[0] += 0.5f;
    float wrong[D];
    decoder_block_step(wrong, &block, &cache, x->data + (T - 1) * D, 1, step_arena());
    float worst = 0.0f;
    for (int j = 0; j < D; j++) worst = fmaxf(worst, fabsf(wrong[j] - full->data[(T - 1) * D + j]));
    ck_assert_msg(worst > 1e-3f, "a damaged cache went unnoticed (%g)", (double)worst);
    kv_cache_free(&cache);
    parameters_free(&params);
}
END_TEST

// A preset with a short window and a reduced vocabulary, in training mode (dropout on
// where the preset has it): inference must switch it off by itself. The weights are
// uniform with a standard deviation of 0.1, five times the model's: drawing 85 M
// normal numbers for gpt1 would take most of the test's time.
static Gpt *preset_model(const char *name, int n_ctx, int vocab) {
    GptConfig config = preset_find(name)->config;
    config.n_ctx = n_ctx;
    config.vocab_size = vocab;
    Gpt *model = gpt_create(&config);
    Rng rng;
    rng_seed(&rng, 6);
    float half_width = 0.1f * sqrtf(3.0f);
    for (int i = 0; i < model->params.count; i++) {
        Parameter *p = model->params.items[i];
        for (long j = 0; j < p->tensor.size; j++)
            p->tensor.data[j] = p->init == INIT_NORMAL ? half_width * (2.0f * rng_uniform(&rng) - 1.0f)
                                : p->init == INIT_ONES ? 1.0f
                                                       : 0.0f;
    }
    rng_seed(&model->dropout_rng, 5);
    gpt_set_training(model, true);
    return model;
}

// The last row of gpt_logits on the window of the last n_ctx tokens of ids[0..length).
static void recomputed_logits(Gpt *model, const int *ids, long length, float *out) {
    long start = length > model->config.n_ctx ? length - model->config.n_ctx : 0;
    int seq = (int)(length - start), vocab = model->config.vocab_size;
    EvaluationMode saved = gpt_begin_evaluation(model);
    Tensor *logits = gpt_logits(model, ids + start, 1, seq);
    memcpy(out, logits->data + (long)(seq - 1) * vocab, sizeof(float) * (size_t)vocab);
    tape_reset();
    gpt_end_evaluation(model, saved);
}

// Generates past the window, choosing every token from the full recompute's logits; at
// every step the cache's logits, its greedy token and its sampled token (same seed) must
// be the full recompute's. The prompt of 2 tokens is read at once, then one token at a
// time until the window of n_ctx is full, then the window is read again for every token.
static void check_preset(const char *name, int n_ctx, int total) {
    enum { VOCAB = 64, PROMPT = 2, MOST = 16 };
    ck_assert_int_le(total, MOST);
    Gpt *model = preset_model(name, n_ctx, VOCAB);
    GptKVCache *cache = gpt_kv_cache_create(model);
    int ids[MOST] = {7, 42};
    float full[VOCAB];
    SampleOptions sampled = {.temperature = 1.0f};
    Rng full_rng, cached_rng;
    rng_seed(&full_rng, 9), rng_seed(&cached_rng, 9);
    for (long at = PROMPT; at < total; at++) {
        recomputed_logits(model, ids, at, full);
        const float *cached = gpt_next_token_logits(model, cache, ids, at);
        assert_close(cached, full, VOCAB, LOGIT_TOLERANCE, name);
        ck_assert_int_eq(argmax(cached, VOCAB), argmax(full, VOCAB));
        ids[at] = choose_next_token(full, VOCAB, &sampled, &full_rng);
        ck_assert_int_eq(choose_next_token(cached, VOCAB, &sampled, &cached_rng), ids[at]);
        if (at > n_ctx) {  // the window slid: the cache holds the last n_ctx tokens
            ck_assert_int_eq(gpt_kv_cache_length(cache), n_ctx);
            ck_assert_int_eq(cache->window_start, at - n_ctx);
            ck_assert_int_eq(memcmp(cache->tokens, ids + at - n_ctx, sizeof(int) * (size_t)n_ctx), 0);
        }
    }
    ck_assert_int_eq(the_tape.n_nodes, 0);
    gpt_kv_cache_free(cache);
    gpt_free(model);
}

// nano and tiny: 4 tokens one at a time, then the window slides twice. small and gpt1
// (85 M parameters, slow under the sanitizers): 1 token, then one slide.
static const char *const FAST_PRESETS[] = {"nano", "tiny"}, *const LARGE_PRESETS[] = {"small", "gpt1"};
START_TEST(test_fast_presets_match_recompute) { check_preset(FAST_PRESETS[_i], 6, 9); }
END_TEST
START_TEST(test_large_presets_match_recompute) { check_preset(LARGE_PRESETS[_i], 3, 5); }
END_TEST

// generate() gives the same tokens with the cache and with --no-cache, greedy and
// sampled, from a prompt shorter than the window and from one longer than it.
START_TEST(test_generate_same_tokens) {
    Gpt *model = preset_model("nano", 8, 40);
    int prompt[12] = {1, 2, 3, 5, 8, 13, 21, 34, 0, 1, 1, 2};
    long prompt_lengths[] = {3, 12};
    for (int p = 0; p < 2; p++)
        for (int mode = 0; mode < 2; mode++) {
            SampleOptions o = {.n_tokens = 14, .temperature = mode == 0 ? 0.0f : 0.9f, .top_k = mode == 0 ? 0 : 10};
            SampleOptions full = o;
            full.no_cache = true;
            Rng r1, r2;
            rng_seed(&r1, 4), rng_seed(&r2, 4);
            long n1, n2;
            int *a = generate(model, prompt, prompt_lengths[p], &o, &r1, &n1);
            int *b = generate(model, prompt, prompt_lengths[p], &full, &r2, &n2);
            ck_assert_int_eq(n1, n2);
            ck_assert_int_eq(memcmp(a, b, sizeof(int) * (size_t)n1), 0);
            free(a), free(b);
        }
    gpt_free(model);
}
END_TEST

// log P of each token, read through the cache, against the cross-entropy of the full
// pass; and two continuations scored on copies of one context.
START_TEST(test_score_tokens_matches_loss) {
    enum { N = 8, VOCAB = 30 };
    Gpt *model = preset_model("nano", N, VOCAB);
    int ids[N] = {3, 14, 15, 9, 26, 5, 3, 5};
    GptKVCache *cache = gpt_kv_cache_create(model);
    gpt_decode_step(model, cache, ids, 1);
    float log_probs[N - 1];
    double total = gpt_score_tokens(model, cache, ids + 1, N - 1, log_probs);
    EvaluationMode saved = gpt_begin_evaluation(model);
    Tensor *logits = gpt_logits(model, ids, 1, N - 1);
    float expected = -(N - 1) * lm_loss(logits, ids + 1)->data[0];
    float *row = malloc(sizeof(float) * VOCAB);
    for (int i = 0; i < N - 1; i++) {
        log_softmax_forward(row, logits->data + i * VOCAB, 1, VOCAB);
        ck_assert_float_eq_tol(log_probs[i], row[ids[i + 1]], 1e-5f);
    }
    ck_assert_double_eq_tol(total, expected, 1e-4);
    gpt_end_evaluation(model, saved);
    tape_reset();
    // a context read once, two endings scored on copies: each as if read alone
    GptKVCache *context = gpt_kv_cache_create(model), *branch = gpt_kv_cache_create(model);
    gpt_decode_step(model, context, ids, 4);
    int endings[2][2] = {{26, 5}, {1, 2}};
    for (int e = 0; e < 2; e++) {
        gpt_kv_cache_copy(branch, context);
        float got[2], alone[2];
        double sum = gpt_score_tokens(model, branch, endings[e], 2, got);
        gpt_kv_cache_reset(cache);
        gpt_decode_step(model, cache, ids, 1);
        gpt_score_tokens(model, cache, ids + 1, 3, log_probs);
        gpt_score_tokens(model, cache, endings[e], 2, alone);
        assert_close(got, alone, 2, 1e-5f, "ending");
        ck_assert_double_eq_tol(sum, (double)alone[0] + alone[1], 1e-5);
    }
    free(row);
    gpt_kv_cache_free(branch);
    gpt_kv_cache_free(context);
    gpt_kv_cache_free(cache);
    gpt_free(model);
}
END_TEST

// A sequence that branches off the one read keeps the common prefix and reads the rest;
// a prefix of it reads its last token again.
START_TEST(test_next_token_logits_branches) {
    enum { VOCAB = 20 };
    Gpt *model = preset_model("nano", 10, VOCAB);
    GptKVCache *cache = gpt_kv_cache_create(model);
    int a[6] = {1, 2, 3, 4, 5, 6}, b[6] = {1, 2, 3, 4, 9, 9};
    float full[VOCAB];
    gpt_next_token_logits(model, cache, a, 6);
    const float *logits = gpt_next_token_logits(model, cache, b, 6);
    recomputed_logits(model, b, 6, full);
    assert_close(logits, full, VOCAB, LOGIT_TOLERANCE, "branch");
    ck_assert_int_eq(gpt_kv_cache_length(cache), 6);
    logits = gpt_next_token_logits(model, cache, b, 3);
    recomputed_logits(model, b, 3, full);
    assert_close(logits, full, VOCAB, LOGIT_TOLERANCE, "prefix");
    ck_assert_int_eq(gpt_kv_cache_length(cache), 3);
    gpt_kv_cache_free(cache);
    gpt_free(model);
}
END_TEST

// 2 · layers · n_ctx · d floats: 36 MiB for gpt1, 2 · 3 · 64 · 48 floats for nano.
START_TEST(test_cache_memory) {
    Gpt gpt1 = {.config = preset_find("gpt1")->config}, nano = {.config = preset_find("nano")->config};
    GptKVCache *big = gpt_kv_cache_create(&gpt1), *small = gpt_kv_cache_create(&nano);  // they read the config only
    ck_assert_int_eq(gpt_kv_cache_bytes(big), 4L * 2 * 12 * 512 * 768);
    ck_assert_int_eq(gpt_kv_cache_bytes(small), 4L * 2 * 3 * 64 * 48);
    gpt_kv_cache_free(big);
    gpt_kv_cache_free(small);
}
END_TEST

START_TEST(test_reading_past_the_window_aborts) {
    Gpt *model = preset_model("nano", 4, 10);
    GptKVCache *cache = gpt_kv_cache_create(model);
    int ids[5] = {1, 2, 3, 4, 5};
    gpt_decode_step(model, cache, ids, 5);  // 5 positions, n_ctx 4
}
END_TEST

Suite *kv_cache_suite(void) {
    Suite *s = suite_create("kv_cache");
    TCase *tc = tcase_create("kv_cache");
    tcase_add_checked_fixture(tc, NULL, kv_cache_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_kv_cache_layout);
    tcase_add_test(tc, test_cached_attention_known_values);
    tcase_add_loop_test(tc, test_block_step_matches_block, 0, 2);
    tcase_add_loop_test(tc, test_fast_presets_match_recompute, 0, 2);
    tcase_add_test(tc, test_generate_same_tokens);
    tcase_add_test(tc, test_score_tokens_matches_loss);
    tcase_add_test(tc, test_next_token_logits_branches);
    tcase_add_test(tc, test_cache_memory);
    tcase_add_test_raise_signal(tc, test_reading_past_the_window_aborts, SIGABRT);
    suite_add_tcase(s, tc);
    TCase *large = tcase_create("kv_cache_large");
    tcase_set_tags(large, "slow");  // 85 M parameters for gpt1: left out of the valgrind run of CI
    tcase_add_checked_fixture(large, NULL, kv_cache_teardown);
    tcase_set_timeout(large, 120);
    tcase_add_loop_test(large, test_large_presets_match_recompute, 0, 2);
    suite_add_tcase(s, large);
    return s;
}
