// Attention you can see: the head scores (distance from uniform, previous token,
// induction) on known weights, the synthetic texts, the watch hook of pretrain(), the
// film of attention over training and its flags, and the recipe of docs/pictures.md:
// after a short run on synthetic:previous a head is far from uniform (slow).
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"
#include "gpt/checkpoint.h"
#include "gpt/pictures/attention_film.h"
#include "gpt/pictures/attention_scores.h"
#include "gpt/pretrain.h"
#include "gpt/synthetic_text.h"
#include "tests/helpers.h"
#include "tests/xml_check.h"

enum { N = 6 };

static int count_of(const char *text, const char *needle) {
    int n = 0;
    for (const char *p = strstr(text, needle); p != NULL; p = strstr(p + 1, needle)) n++;
    return n;
}

static char *file_contents(const char *path) {
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s was not written", path);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    char *text = malloc((size_t)size + 1);
    ck_assert_ptr_nonnull(text);
    text[fread(text, 1, (size_t)size, f)] = '\0';
    fclose(f);
    return text;
}

// Row i puts all its weight on key key_of(i) (clamped into 0..i).
static void one_key_per_row(float *w, int (*key_of)(int)) {
    memset(w, 0, sizeof(float) * N * N);
    for (int i = 0; i < N; i++) {
        int key = key_of(i);
        w[i * N + (key < 0 ? 0 : key > i ? i : key)] = 1.0f;
    }
}
static int previous_key(int i) { return i - 1; }
static int induction_target(int i) { return i >= 3 ? i - 2 : i; }  // ids 1 2 3 1 2 3: token i occurred at i - 3

START_TEST(test_head_scores_known_values) {
    const int ids[N] = {1, 2, 3, 1, 2, 3};
    float w[N * N] = {0};
    double most = (log(2) + log(3) + log(4) + log(5) + log(6)) / 5;  // every row on one key: KL = log(i + 1)
    for (int i = 0; i < N; i++)
        for (int j = 0; j <= i; j++) w[i * N + j] = 1.0f / (i + 1);  // uniform
    HeadScores s = head_scores(w, ids, N);
    ck_assert_double_eq_tol(s.kl_from_uniform, 0.0, 1e-6);
    ck_assert_double_eq_tol(s.kl_most, most, 1e-9);
    ck_assert_double_eq_tol(s.previous_token, (1.0 / 2 + 1.0 / 3 + 1.0 / 4 + 1.0 / 5 + 1.0 / 6) / 5, 1e-6);
    ck_assert_double_eq_tol(s.induction, (1.0 / 4 + 1.0 / 5 + 1.0 / 6) / 3, 1e-6);  // rows 3, 4, 5 only
    one_key_per_row(w, previous_key);
    s = head_scores(w, ids, N);
    ck_assert_double_eq_tol(s.kl_from_uniform, most, 1e-6);
    ck_assert_double_eq_tol(s.previous_token, 1.0, 1e-9);
    ck_assert_double_eq_tol(s.induction, 0.0, 1e-9);
    one_key_per_row(w, induction_target);
    s = head_scores(w, ids, N);
    ck_assert_double_eq_tol(s.induction, 1.0, 1e-9);
    ck_assert_double_eq_tol(s.previous_token, 0.0, 1e-9);
    const int distinct[N] = {1, 2, 3, 4, 5, 6};  // no token occurs twice: no induction target
    ck_assert(isnan(head_scores(w, distinct, N).induction));
}
END_TEST

START_TEST(test_attention_weights_all_heads) {
    GptConfig config = {2, 16, 2, 32, 8, 11, ACTIVATION_RELU, 0.0f};
    Gpt *model = gpt_create(&config);
    gpt_init_weights(model, 5);
    spread_parameters(&model->params, 6, 0.5f);  // heads far from uniform, and different
    int ids[N] = {1, 4, 2, 9, 4, 0};
    float all[2 * 2 * N * N], one[N * N];
    attention_weights_all(model, ids, N, all);
    for (int layer = 0; layer < 2; layer++)
        for (int head = 0; head < 2; head++) {
            attention_weights(model, ids, N, layer, head, one);
            ck_assert_int_eq(memcmp(one, all + (layer * 2 + head) * N * N, sizeof one), 0);
        }
    ck_assert(head_scores(all, ids, N).kl_from_uniform > 0.01);
    ck_assert_int_eq(the_tape.n_nodes, 0);
    gpt_free(model);
}
END_TEST

// Letters and line breaks, each pair line two letters taking turns, each repeat line
// three copies of a word of different letters, two pair lines for each repeat line;
// the same bytes on every call.
START_TEST(test_synthetic_texts) {
    size_t len, again_len;
    char *text = synthetic_text("induction", &len), *again = synthetic_text("induction", &again_len);
    ck_assert_ptr_nonnull(text);
    ck_assert(len >= SYNTHETIC_TEXT_BYTES && len == strlen(text) && text[len - 1] == '\n');
    ck_assert(again_len == len && memcmp(text, again, len) == 0);
    int pairs = 0, repeats = 0;
    for (char *line = text; *line != '\0'; line = strchr(line, '\n') + 1) {
        int n = (int)(strchr(line, '\n') - line);
        if (strchr(line, ' ') == NULL || strchr(line, ' ') > line + n) {  // a pair line: abab...
            ck_assert(n >= 8 && n <= 16 && n % 2 == 0 && line[0] != line[1]);
            for (int i = 2; i < n; i++) ck_assert(line[i] == line[i - 2]);
            pairs++;
        } else {  // a repeat line: word word word
            int w = (int)(strchr(line, ' ') - line);
            ck_assert(w >= 4 && w <= 10 && n == 3 * w + 2);
            ck_assert(memcmp(line, line + w + 1, (size_t)w) == 0 && memcmp(line, line + 2 * w + 2, (size_t)w) == 0);
            for (int i = 0; i < w; i++)
                ck_assert(line[i] >= 'a' && line[i] <= 'z' && memchr(line, line[i], (size_t)i) == NULL);
            repeats++;
        }
    }
    ck_assert(pairs > 0.6 * (pairs + repeats) && repeats > 0.3 * (pairs + repeats));  // 2/3 and 1/3
    free(text), free(again);
    text = synthetic_text("previous", &len);
    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_null(strchr(text, ' '));  // pair lines only
    free(text);
    ck_assert_ptr_null(synthetic_text("nothing", &len));
}
END_TEST

typedef struct Watched {
    long steps[8];
    int calls;
} Watched;

static bool record_watch(Gpt *model, long step, void *context, char *error, size_t error_len) {
    (void)model, (void)error, (void)error_len;
    Watched *w = context;
    w->steps[w->calls++] = step;
    return true;
}

static bool refuse_watch(Gpt *model, long step, void *context, char *error, size_t error_len) {
    (void)model, (void)context;
    snprintf(error, error_len, "watch refused at step %ld", step);
    return step < 4;
}

static Gpt *train_small(PretrainOptions *o, bool *ok, char *error, size_t error_len) {
    static int ids[200];
    for (int i = 0; i < 200; i++) ids[i] = (i * 7 + i / 5) % 11;
    TokenSequence train = {ids, 200}, val = {ids, 0};
    Tokenizer tokenizer;
    tokenizer_init_chars(&tokenizer, "0123456789a", 11);
    GptConfig config = {1, 16, 2, 32, 8, 11, ACTIVATION_RELU, 0.1f};
    Gpt *model = gpt_create(&config);
    gpt_init_weights(model, 3);
    TrainingState state = {0};
    rng_seed(&state.data_rng, 4);
    PretrainReport report;
    *ok = pretrain(model, &tokenizer, &state, &train, &val, o, &report, error, error_len);
    tokenizer_free(&tokenizer);
    return model;
}

// The hook sees the model at step 0, every watch_every steps and at the end, and
// changes nothing: the weights are the same bytes as without it.
START_TEST(test_pretrain_watch_hook) {
    char error[256];
    bool ok;
    PretrainOptions o = {.steps = 7, .batch = 2, .seq = 8, .sgd = {.lr = 0.3f}, .quiet = true};
    Gpt *plain = train_small(&o, &ok, error, sizeof error);
    ck_assert(ok);
    Watched watched = {0};
    o.watch = record_watch, o.watch_context = &watched, o.watch_every = 3;
    Gpt *watched_model = train_small(&o, &ok, error, sizeof error);
    ck_assert(ok);
    ck_assert_int_eq(watched.calls, 4);
    ck_assert(watched.steps[0] == 0 && watched.steps[1] == 3 && watched.steps[2] == 6 && watched.steps[3] == 7);
    ck_assert_int_eq(memcmp(plain->params.data, watched_model->params.data, sizeof(float) * (size_t)plain->params.total),
                     0);
    gpt_free(watched_model);
    o.watch = refuse_watch, o.watch_every = 2;  // false stops the run with the hook's message
    Gpt *stopped = train_small(&o, &ok, error, sizeof error);
    ck_assert(!ok);
    ck_assert_str_eq(error, "watch refused at step 4");
    gpt_free(stopped);
    gpt_free(plain);
}
END_TEST

START_TEST(test_attention_film_svg) {
    GptConfig config = {2, 16, 2, 32, 8, 11, ACTIVATION_RELU, 0.0f};
    Gpt *model = gpt_create(&config);
    gpt_init_weights(model, 5);
    Tokenizer tokenizer;
    tokenizer_init_chars(&tokenizer, "ab<&>cdefgh", 11);
    int ids[5] = {0, 2, 3, 1, 2};
    AttentionFilm film;
    ck_assert(attention_film_create(&film, model, &tokenizer, ids, 5, 2));
    ck_assert(attention_film_add(&film, model, 0));
    spread_parameters(&model->params, 7, 0.5f);
    ck_assert(attention_film_add(&film, model, 100));
    ck_assert(!attention_film_add(&film, model, 200));  // full
    FILE *file = tmpfile();
    ck_assert(attention_film_write_svg(file, &film, "two frames"));
    long size = ftell(file);
    rewind(file);
    char *svg = malloc((size_t)size + 1);
    svg[fread(svg, 1, (size_t)size, file)] = '\0';
    fclose(file);
    assert_well_formed(svg, "the attention film");
    ck_assert_int_eq(count_of(svg, "class=\"panel\""), 2 * 4);         // 2 steps x 4 heads
    ck_assert_int_eq(count_of(svg, "class=\"cell\""), 2 * 4 * 15);     // 5 tokens: 15 cells at or below the diagonal
    ck_assert_int_eq(count_of(svg, " nats \xc2\xb7 prev "), 2 * 4);    // a caption under each
    ck_assert_ptr_nonnull(strstr(svg, ">step 100<"));
    ck_assert_ptr_nonnull(strstr(svg, ">&lt;<"));                      // labels escaped
    HeadScores first = head_scores(film.weights, ids, 5);              // step 0, layer 0, head 0
    char caption[64];
    snprintf(caption, sizeof caption, ">%.2f nats \xc2\xb7 prev %.2f", first.kl_from_uniform, first.previous_token);
    ck_assert_ptr_nonnull(strstr(svg, caption));
    free(svg);
    attention_film_free(&film);
    tokenizer_free(&tokenizer);
    gpt_free(model);
}
END_TEST

START_TEST(test_pretrain_attention_flags) {
    char args[1024];
    const char *svg_path = temp_file("film.svg"), *ckpt = temp_file("film.ckpt");
    snprintf(args, sizeof args, "pretrain --data synthetic:previous --tokenizer chars --preset nano --layers 1 "
             "--heads 2 --ctx 16 --steps 4 --batch 2 --attention-every 2 --attention-text qwqwq --attention-out %s "
             "--out %s --sample-tokens 0 --quiet", svg_path, ckpt);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_msg(strstr(gpt_output, "3 pictures of 2 heads; at step 4 the head farthest from uniform") != NULL, "%s",
                  gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "data: synthetic:previous"));
    char *svg = file_contents(svg_path);
    assert_well_formed(svg, "gpt pretrain --attention-out");
    ck_assert_int_eq(count_of(svg, "class=\"panel\""), 3 * 2);  // steps 0, 2 and 4
    free(svg);
    const char *one_thread = temp_file("film1.svg");  // the same pictures on 1 and on 2 threads
    for (int threads = 1; threads <= 2; threads++) {
        snprintf(args, sizeof args, "pretrain --data synthetic:previous --tokenizer chars --preset nano --layers 1 "
                 "--heads 2 --ctx 16 --steps 4 --batch 2 --attention-every 2 --attention-text qwqwq "
                 "--attention-out %s --out %s --sample-tokens 0 --quiet --threads %d",
                 threads == 1 ? one_thread : svg_path, ckpt, threads);
        ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    }
    snprintf(args, sizeof args, "cmp -s %s %s", one_thread, svg_path);
    ck_assert_msg(system(args) == 0, "the attention pictures differ between 1 and 2 threads");
    remove(one_thread);
    const char *plain = temp_file("plain.ckpt");  // the same run without pictures: the same checkpoint
    snprintf(args, sizeof args, "pretrain --data synthetic:previous --tokenizer chars --preset nano --layers 1 "
             "--heads 2 --ctx 16 --steps 4 --batch 2 --out %s --sample-tokens 0 --quiet", plain);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    snprintf(args, sizeof args, "cmp -s %s %s", ckpt, plain);
    ck_assert_msg(system(args) == 0, "--attention-every changed the checkpoint");
    remove(plain);
    const char *pick = "attention --ckpt %s --text %s --out %s --pick %s";
    snprintf(args, sizeof args, pick, ckpt, "qwqw", svg_path, "nearest");
    assert_usage_error(args, "--pick must be farthest, previous or induction");
    snprintf(args, sizeof args, "attention --ckpt %s --text qwqw --out %s --pick previous --head 1", ckpt, svg_path);
    assert_usage_error(args, "--pick chooses the head");
    snprintf(args, sizeof args, pick, ckpt, "qw", svg_path, "induction");
    assert_usage_error(args, "some token occurs twice");
    char base[256];  // every output named, so that no case can write into the working directory
    snprintf(base, sizeof base, "pretrain --data synthetic:previous --tokenizer chars --preset nano --layers 1 "
             "--ctx 16 --steps 4 --out %s --attention-out %s", ckpt, svg_path);
    snprintf(args, sizeof args, "%s --attention-every 2", base);
    assert_usage_error(args, "--attention-every needs --attention-text");
    snprintf(args, sizeof args, "%s --attention-text qwqw", base);
    assert_usage_error(args, "--attention-text needs --attention-every");
    snprintf(args, sizeof args, "%s --attention-every -1 --attention-text qwqw", base);
    assert_usage_error(args, "--attention-every must not be negative");
    snprintf(args, sizeof args, "%s --attention-every 2 --attention-text QW", base);
    assert_usage_error(args, "--attention-text");  // not in the vocabulary of letters
    snprintf(args, sizeof args, "%s --attention-every 2 --attention-text qwqwqwqwqwqwqwqwq", base);
    assert_usage_error(args, "--attention-text must have 2 to 16 tokens");
    snprintf(args, sizeof args, "%s --steps 100000 --attention-every 1 --attention-text qwqw", base);
    assert_usage_error(args, "use a larger --attention-every");
    snprintf(args, sizeof args, "%s --steps 100000000 --attention-every 1 --attention-text qwqw", base);  // the most
    assert_usage_error(args, "more than 400 pictures");
    snprintf(args, sizeof args, "%s --steps 9223372036854775807 --attention-every 1 --attention-text qwqw", base);
    assert_usage_error(args, "--steps must be from 0 to 100000000");
    snprintf(args, sizeof args, "%s --attention-every 2 --attention-text qwqw --attention-out /nonexistent/a.svg", base);
    assert_usage_error(args, "/nonexistent/a.svg");
    assert_usage_error("pretrain --data synthetic:nothing", "there are: previous, induction");
    remove(svg_path), remove(ckpt);
}
END_TEST

// The recipe of docs/pictures.md, "A head in seconds", exactly as documented: one
// block, two heads, synthetic:previous. Some head must end far from uniform: at least
// 1 nat of the 1.68 that "every row on one key" would give on this text, with 90% of
// its weight on the previous token.
static const char RECIPE[] = "pretrain --data synthetic:previous --tokenizer chars --preset nano --layers 1 --heads 2 "
                             "--ctx 32 --steps 5000 --lr 2 --clip 1";
static const char RECIPE_TEXT[] = "qwqwqwqwqw";

START_TEST(test_previous_token_recipe) {
    char args[1024];
    const char *ckpt = temp_file("recipe.ckpt");
    snprintf(args, sizeof args, "%s --out %s --sample-tokens 0 --quiet", RECIPE, ckpt);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    char error[256];
    Tokenizer tokenizer;
    Gpt *model = checkpoint_load(ckpt, &tokenizer, NULL, error, sizeof error);
    ck_assert_msg(model != NULL, "%s", error);
    long n;
    int *ids = tokenizer_encode(&tokenizer, RECIPE_TEXT, strlen(RECIPE_TEXT), &n, error, sizeof error);
    float weights[2 * 10 * 10];
    attention_weights_all(model, ids, (int)n, weights);
    HeadScores first = head_scores(weights, ids, (int)n), other = head_scores(weights + n * n, ids, (int)n);
    HeadScores best = other.kl_from_uniform > first.kl_from_uniform ? other : first;
    ck_assert_msg(best.kl_from_uniform >= 1.0 && best.previous_token >= 0.9,
                  "the farthest head is %.3f nats from uniform (at most %.3f), previous token %.3f",
                  best.kl_from_uniform, best.kl_most, best.previous_token);
    int best_head = other.kl_from_uniform > first.kl_from_uniform;
    snprintf(args, sizeof args, "attention --ckpt %s --text %s --pick farthest --out %s", ckpt, RECIPE_TEXT,
             temp_file("recipe.svg"));
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    char printed[64];  // gpt attention prints the same figure, and draws that head
    snprintf(printed, sizeof printed, "%7.3f nats", best.kl_from_uniform);
    ck_assert_msg(strstr(gpt_output, printed) != NULL, "'%s' not in %s", printed, gpt_output);
    snprintf(printed, sizeof printed, "recipe.svg: layer 0, head %d,", best_head);
    ck_assert_msg(strstr(gpt_output, printed) != NULL, "'%s' not in %s", printed, gpt_output);
    free(ids);
    gpt_free(model);
    tokenizer_free(&tokenizer);
    remove(ckpt), remove(temp_file("recipe.svg"));
}
END_TEST

static void heads_teardown(void) { tape_reset(); }

Suite *attention_heads_suite(void) {
    Suite *s = suite_create("attention_heads");
    TCase *tc = tcase_create("scores");
    tcase_add_checked_fixture(tc, NULL, heads_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_head_scores_known_values);
    tcase_add_test(tc, test_attention_weights_all_heads);
    tcase_add_test(tc, test_synthetic_texts);
    tcase_add_test(tc, test_pretrain_watch_hook);
    tcase_add_test(tc, test_attention_film_svg);
    tcase_add_test(tc, test_pretrain_attention_flags);
    suite_add_tcase(s, tc);
    TCase *recipe = tcase_create("recipe");
    tcase_set_tags(recipe, "slow");  // left out of the valgrind run of CI
    tcase_add_checked_fixture(recipe, NULL, heads_teardown);
    tcase_set_timeout(recipe, 120);
    tcase_add_test(recipe, test_previous_token_recipe);
    suite_add_tcase(s, recipe);
    return s;
}
