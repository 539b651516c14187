// Hostile files, read and written by the library: crafted checkpoints whose CRC is right
// (so that the parser itself is tested, not the CRC), outputs that are not regular files,
// two writers of one path, task data built to be slow or to hide a NUL. Each test is the
// regression test of a defect that fuzzing found (issue 14); tests/fuzz keeps looking.
// mkfifo, symlink, opendir and getpid are POSIX.
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "autograd/tape.h"
#include "gpt/checkpoint.h"
#include "gpt/io/crc32.h"
#include "gpt/io/replace_file.h"
#include "gpt/tasks/task_data.h"
#include "tests/helpers.h"

static void hostile_teardown(void) { tape_reset(); }

// --- Checkpoint surgery: change bytes, then make the declared size and the CRC right ----

typedef struct FileBytes {
    unsigned char *bytes;
    long n;
} FileBytes;

static FileBytes read_whole_file(const char *path) {
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s: cannot open", path);
    fseek(f, 0, SEEK_END);
    FileBytes file = {.n = ftell(f)};
    rewind(f);
    file.bytes = malloc((size_t)file.n + 64);
    ck_assert_ptr_nonnull(file.bytes);
    ck_assert_uint_eq(fread(file.bytes, 1, (size_t)file.n, f), (size_t)file.n);
    fclose(f);
    return file;
}

static void put_le(unsigned char *at, uint64_t value, int bytes) {
    for (int k = 0; k < bytes; k++) at[k] = (unsigned char)(value >> (8 * k));
}

// Replaces `removed` bytes at `offset` by `inserted`, then writes the file back with its
// header's size (offset 12) and its final CRC made right again.
static void splice_checkpoint(const char *path, long offset, long removed, const void *inserted, long n_inserted) {
    FileBytes old = read_whole_file(path);
    long n = old.n - removed + n_inserted;
    unsigned char *bytes = malloc((size_t)n);
    ck_assert_ptr_nonnull(bytes);
    memcpy(bytes, old.bytes, (size_t)offset);
    memcpy(bytes + offset, inserted, (size_t)n_inserted);
    memcpy(bytes + offset + n_inserted, old.bytes + offset + removed, (size_t)(old.n - offset - removed));
    put_le(bytes + 12, (uint64_t)n, 8);
    put_le(bytes + n - 4, crc32_update(0, bytes, (size_t)n - 4), 4);
    FILE *f = fopen(path, "wb");
    ck_assert_uint_eq(fwrite(bytes, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    free(bytes);
    free(old.bytes);
}

static void set_u32(const char *path, long offset, uint32_t value) {
    unsigned char le[4];
    put_le(le, value, 4);
    splice_checkpoint(path, offset, 4, le, 4);
}

enum { N_LAYERS_AT = 20, D_MODEL_AT = 24, D_FF_AT = 32, N_CTX_AT = 36, REGRESSION_AT = 64, PAYLOAD_AT = 84 };

// A language model of 2 blocks on the characters "abcde" (a 5-byte tokenizer payload).
static const char *small_checkpoint(const char *name) {
    GptConfig config = {2, 8, 2, 16, 8, 5, ACTIVATION_RELU, 0.0f};
    Gpt *model = gpt_create(&config);
    gpt_init_weights(model, 3);
    Tokenizer tokenizer;
    tokenizer_init_chars(&tokenizer, "abcde", 5);
    TrainingState state = {.step = 1};
    char error[256];
    const char *path = temp_file(name);
    ck_assert_msg(checkpoint_save(path, model, &tokenizer, &state, error, sizeof error), "%s", error);
    gpt_free(model);
    return path;
}

// A classifier with n_outputs outputs and the class names given, on "abcde" + task tokens.
static TaskModel *small_task_model(TaskHeadConfig head, char **labels, int n_labels) {
    GptConfig config = {1, 8, 2, 16, 8, 8, ACTIVATION_RELU, 0.0f};
    TaskModel *model = task_model_create(&config, &head);
    gpt_init_weights(model->gpt, 4);
    task_model_set_label_names(model, labels, n_labels);
    return model;
}

// Saves the model with its tokenizer and frees it.
static const char *save_task_model(const char *name, TaskModel *model) {
    Tokenizer tokenizer;
    tokenizer_init_chars(&tokenizer, "abcde", 5);
    tokenizer.n_task_tokens = N_TASK_TOKENS;
    TrainingState state = {0};
    char error[256];
    const char *path = temp_file(name);
    ck_assert_msg(task_checkpoint_save(path, model, &tokenizer, &state, error, sizeof error), "%s", error);
    task_model_free(model);
    return path;
}

static const char *task_checkpoint(const char *name, TaskHeadConfig head, char **labels, int n_labels) {
    return save_task_model(name, small_task_model(head, labels, n_labels));
}

static void assert_load_fails(const char *path, bool as_task_model, const char *expected) {
    char error[512] = "";
    bool loaded;
    if (as_task_model) {
        TaskModel *model = task_checkpoint_load(path, NULL, NULL, error, sizeof error);
        loaded = model != NULL;
        task_model_free(model);
    } else {
        Gpt *model = checkpoint_load(path, NULL, NULL, error, sizeof error);
        loaded = model != NULL;
        gpt_free(model);
    }
    ck_assert_msg(!loaded, "%s was loaded; expected the error '%s'", path, expected);
    ck_assert_msg(strstr(error, expected) != NULL, "expected '%s' in: %s", expected, error);
}

// Defect 2: 15 layers, d_model 2^29, d_ff 1, n_ctx 2147483227 made the parameter count
// overflow past the size check; sample then read out of bounds.
START_TEST(test_crafted_sizes_are_refused) {
    const char *path = small_checkpoint("crafted.ckpt");
    set_u32(path, N_LAYERS_AT, 15);
    set_u32(path, D_MODEL_AT, 1u << 29);
    set_u32(path, D_FF_AT, 1);
    set_u32(path, N_CTX_AT, 2147483227u);
    assert_load_fails(path, false, "invalid config: d_model must be at most 16384, got 536870912");
    path = small_checkpoint("crafted2.ckpt");
    set_u32(path, N_CTX_AT, 2147483227u);
    assert_load_fails(path, false, "invalid config: n_ctx must be at most 65536, got 2147483227");
    path = small_checkpoint("crafted3.ckpt");  // each size within bounds, the model far too big
    set_u32(path, N_LAYERS_AT, 1024);
    set_u32(path, D_MODEL_AT, 16384);
    assert_load_fails(path, false, "parameters, more than the 2147483648");
    path = small_checkpoint("crafted4.ckpt");  // within every bound, but not in this file
    set_u32(path, D_FF_AT, 65536);
    assert_load_fails(path, false, "the config declares more parameters than the file holds");
    remove(temp_file("crafted.ckpt")), remove(temp_file("crafted2.ckpt"));
    remove(temp_file("crafted3.ckpt")), remove(temp_file("crafted4.ckpt"));

    char error[256];
    GptConfig c = {12, 768, 12, 3072, 512, 40478, ACTIVATION_GELU, 0.1f};
    ck_assert_msg(config_validate(&c, error, sizeof error), "%s", error);  // the paper's model
    c.vocab_size = (1 << 22) + 1;
    ck_assert(!config_validate(&c, error, sizeof error));
    ck_assert_str_eq(error, "vocab_size must be at most 4194304, got 4194305");
    TaskHeadConfig head = {TASK_CLASSIFY, 2147483647, COMBINE_CONCAT, false};
    ck_assert(!task_head_validate(&(GptConfig){.n_ctx = 64}, &head, error, sizeof error));
    ck_assert_str_eq(error, "the classify head may have at most 65536 outputs, got 2147483647");
}
END_TEST

// Defect 9: the class names must match the head, and the regression flag fit the task.
START_TEST(test_loader_checks_the_head) {
    char *names[] = {"neg", "pos"};
    // a third name spliced in after the two: 2 outputs, 3 names
    const char *path = task_checkpoint("labels.ckpt", (TaskHeadConfig){TASK_CLASSIFY, 2, COMBINE_CONCAT, false}, names, 2);
    long count_at = PAYLOAD_AT + 5 + 24;  // after the payload "abcde" and the state
    long after_names = count_at + 4 + (4 + 3) * 2;
    set_u32(path, count_at, 3);
    unsigned char third[] = {3, 0, 0, 0, 'm', 'i', 'd'};
    splice_checkpoint(path, after_names, 0, third, sizeof third);
    assert_load_fails(path, true, "the label names: the classify head has 2 outputs but 3 class names");
    assert_load_fails(path, false, "the label names: the classify head has 2 outputs but 3 class names");

    char *three[] = {"a", "b", "c"};
    path = task_checkpoint("regression.ckpt", (TaskHeadConfig){TASK_ENTAIL, 3, COMBINE_CONCAT, false}, three, 3);
    set_u32(path, REGRESSION_AT, 1);
    assert_load_fails(path, true, "the entail head cannot be a regression: only similar can");
    path = task_checkpoint("regression2.ckpt", (TaskHeadConfig){TASK_SIMILAR, 1, COMBINE_CONCAT, true}, NULL, 0);
    set_u32(path, REGRESSION_AT, 2);
    assert_load_fails(path, true, "head.regression: expected 0 or 1, got 2");

    path = task_checkpoint("nul.ckpt", (TaskHeadConfig){TASK_CLASSIFY, 2, COMBINE_CONCAT, false}, names, 2);
    unsigned char with_nul[] = {'n', 0, 'g'};
    splice_checkpoint(path, count_at + 8, 3, with_nul, 3);
    assert_load_fails(path, true, "label name 0 holds a NUL byte at offset 1");
    remove(temp_file("labels.ckpt")), remove(temp_file("regression.ckpt"));
    remove(temp_file("regression2.ckpt")), remove(temp_file("nul.ckpt"));
}
END_TEST

// Defect 13: a NaN weight (saving refuses one) and bytes between the values and the CRC.
START_TEST(test_nan_weights_and_extra_bytes_are_refused) {
    const char *path = small_checkpoint("nan.ckpt");
    FileBytes file = read_whole_file(path);
    long last_value = file.n - 8;  // the last float, just before the CRC
    free(file.bytes);
    unsigned char nan_bits[4] = {0x00, 0x00, 0xC0, 0x7F};
    splice_checkpoint(path, last_value, 4, nan_bits, 4);
    assert_load_fails(path, false, "parameter 'blocks.1.ln_2.bias' holds a non-finite value (nan) at index 7");

    path = small_checkpoint("extra.ckpt");
    file = read_whole_file(path);
    long crc_at = file.n - 4;
    free(file.bytes);
    splice_checkpoint(path, crc_at, 0, "JUNK", 4);
    assert_load_fails(path, false, "4 bytes between the parameter values and the CRC");
    remove(temp_file("nan.ckpt")), remove(temp_file("extra.ckpt"));
}
END_TEST

// The command fails with the exit status given, naming `expected`, and prints nothing of `result`.
static void assert_no_result(const char *args, int exit_status, const char *expected, const char *result) {
    int status = run_gpt(args);
    ck_assert_msg(status == exit_status, "%s: exit status %d: %s", args, status, gpt_output);
    ck_assert_msg(strstr(gpt_output, expected) != NULL && strstr(gpt_output, result) == NULL, "%s", gpt_output);
}

// Found while building the fuzz stage: weights that are finite but so large that the
// activations overflow made `gpt eval` print "loss: -nan" and exit 0.
START_TEST(test_overflowing_weights_give_no_result) {
    const char *path = small_checkpoint("overflow.ckpt");
    FileBytes file = read_whole_file(path);
    GptConfig config = {2, 8, 2, 16, 8, 5, ACTIVATION_RELU, 0.0f};
    long first_value = file.n - 4 - 4 * config_parameter_count(&config);  // wte.weight[0][0], of 'a'
    free(file.bytes);
    unsigned char largest[4] = {0xFF, 0xFF, 0x7F, 0x7F};  // FLT_MAX
    splice_checkpoint(path, first_value, 4, largest, 4);
    const char *text = write_temp_file("overflow.txt", "abcabcabcabcabcabc");
    char args[1024];
    snprintf(args, sizeof args, "eval --ckpt %s --data %s", path, text);
    assert_no_result(args, 1, "is not finite", "loss: ");
    remove(path), remove(text);
}
END_TEST

// The same for a fine-tuned model: with every token embedding at FLT_MAX, `eval --task`
// prints no accuracy and `predict` no answer; both name the overflow and fail.
START_TEST(test_overflowing_task_weights_give_no_result) {
    char *names[] = {"neg", "pos"};
    TaskModel *model = small_task_model((TaskHeadConfig){TASK_CLASSIFY, 2, COMBINE_CONCAT, false}, names, 2);
    Tensor *we = model->gpt->embedding.tokens;
    for (long i = 0; i < we->size; i++) we->data[i] = FLT_MAX;  // finite, but LayerNorm's sum is not
    const char *path = save_task_model("overflow_task.ckpt", model);
    const char *data = write_temp_file("overflow_task.tsv", "abc\tneg\ncab\tpos\n");
    const char *input = write_temp_file("overflow_task.stdin", "abc\n");
    char args[1024];
    snprintf(args, sizeof args, "eval --task classify --ckpt %s --data %s", path, data);
    assert_no_result(args, 1, "is not finite", "accuracy: ");
    snprintf(args, sizeof args, "predict --ckpt %s < %s", path, input);
    assert_no_result(args, 2, "are not finite", "neg=");  // a bad line of input
    remove(path), remove(data), remove(input);
}
END_TEST

// --- Writing: replace_file ---------------------------------------------------------------

static bool holds_text(const char *path, const char *expected) {
    char text[64] = "";
    FILE *f = fopen(path, "rb");
    if (f == NULL) return false;
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    return strcmp(text, expected) == 0;
}

// Files in /tmp whose name starts with the base name of `path` followed by a '.'.
static int leftover_temporaries(const char *path) {
    const char *base = strrchr(path, '/') + 1;
    size_t n = strlen(base);
    int count = 0;
    DIR *dir = opendir("/tmp");
    ck_assert_ptr_nonnull(dir);
    for (struct dirent *e; (e = readdir(dir)) != NULL;)
        count += strncmp(e->d_name, base, n) == 0 && e->d_name[n] == '.';
    closedir(dir);
    return count;
}

// Defect 11: two writers of one path each had PATH.tmp; the second rename failed.
START_TEST(test_two_writers_of_one_path) {
    const char *path = temp_file("two_writers");
    remove(path);
    FILE *first = replace_file_open(path), *second = replace_file_open(path);
    ck_assert_ptr_nonnull(first);
    ck_assert_ptr_nonnull(second);
    fputs("first", first);
    fputs("second", second);
    ck_assert_msg(replace_file_commit(first, path, true), "%s", strerror(errno));
    ck_assert(holds_text(path, "first"));
    ck_assert_msg(replace_file_commit(second, path, true), "%s", strerror(errno));
    ck_assert(holds_text(path, "second"));
    FILE *failed = replace_file_open(path);
    fputs("third, half written", failed);
    ck_assert(!replace_file_commit(failed, path, false));
    ck_assert(holds_text(path, "second"));
    ck_assert_int_eq(leftover_temporaries(path), 0);
    remove(path);
}
END_TEST

// Defect 1: a path that is not a regular file is never replaced (as root, --out /dev/null
// turned the device into a regular file).
START_TEST(test_replace_file_refuses_what_is_not_a_file) {
    const char *fifo = temp_file("a_fifo"), *link = temp_file("a_link");
    remove(fifo), remove(link);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    ck_assert_int_eq(symlink("/dev/null", link), 0);
    const char *paths[] = {fifo, link, "/tmp"};
    const char *kinds[] = {"is a FIFO (a named pipe), not a regular file", "is a symbolic link, not a regular file",
                           "is a directory, not a regular file"};
    for (int i = 0; i < 3; i++) {
        char why[512] = "";
        ck_assert(!replace_file_allowed(paths[i], why, sizeof why));
        ck_assert_msg(strstr(why, kinds[i]) != NULL, "%s", why);
        errno = 0;
        ck_assert_ptr_null(replace_file_open(paths[i]));
        ck_assert_int_eq(errno, EEXIST);
    }
    struct stat info;
    ck_assert(lstat(fifo, &info) == 0 && S_ISFIFO(info.st_mode));
    ck_assert(lstat(link, &info) == 0 && S_ISLNK(info.st_mode));
    ck_assert_int_eq(leftover_temporaries(fifo) + leftover_temporaries(link), 0);
    char why[64];
    ck_assert(replace_file_allowed(temp_file("not_there_yet"), why, sizeof why));
    remove(fifo), remove(link);
}
END_TEST

// --- Task data ---------------------------------------------------------------------------

// Defect 12: each blank line of a run scanned the rest of the run (11.6 s for 200,000
// lines). Linear, this takes milliseconds; quadratic, it overruns the test's timeout.
START_TEST(test_blank_line_runs_read_in_linear_time) {
    enum { BLANK = 200000 };
    size_t len = 0;
    char *text = malloc(BLANK + 64);
    ck_assert_ptr_nonnull(text);
    len += (size_t)sprintf(text, "a good film\tpos\n");
    memset(text + len, '\n', BLANK);
    len += BLANK;
    len += (size_t)sprintf(text + len, "a bad film\tneg\n");
    TaskReadOptions options = {.format = TASK_FORMAT_TSV, .task = TASK_CLASSIFY, .skip_bad = true};
    TaskDataset data;
    ck_assert_msg(task_data_parse(&data, "blank.tsv", text, len, &options), "%s", data.error);
    ck_assert_int_eq(data.n_examples, 2);
    ck_assert_int_eq(data.n_skipped, BLANK);
    ck_assert_str_eq(data.examples[1].text[0], "a bad film");
    ck_assert_int_eq(data.examples[1].line, BLANK + 2);
    task_dataset_free(&data);
    free(text);
}
END_TEST

// Defect 13: a label holding a NUL was shown cut at the NUL ("negative").
START_TEST(test_label_with_a_nul_is_shown_whole) {
    const char *names[] = {"negative", "positive"};
    TaskReadOptions options = {.format = TASK_FORMAT_TSV, .task = TASK_CLASSIFY, .labels = names, .n_labels = 2};
    static const char text[] = "a fine film\tnegative\0x\n";
    TaskDataset data;
    ck_assert(!task_data_parse(&data, "nul.tsv", text, sizeof text - 1, &options));
    ck_assert_msg(strstr(data.error, "expected negative or positive, got \"negative\\x00x\"") != NULL, "%s",
                  data.error);
    task_dataset_free(&data);
}
END_TEST

Suite *hostile_files_suite(void) {
    Suite *s = suite_create("hostile_files");
    TCase *tc = tcase_create("hostile files");
    tcase_add_checked_fixture(tc, NULL, hostile_teardown);
    tcase_add_test(tc, test_crafted_sizes_are_refused);
    tcase_add_test(tc, test_loader_checks_the_head);
    tcase_add_test(tc, test_nan_weights_and_extra_bytes_are_refused);
    tcase_add_test(tc, test_overflowing_weights_give_no_result);
    tcase_add_test(tc, test_overflowing_task_weights_give_no_result);
    tcase_add_test(tc, test_two_writers_of_one_path);
    tcase_add_test(tc, test_replace_file_refuses_what_is_not_a_file);
    tcase_add_test(tc, test_blank_line_runs_read_in_linear_time);  // the default timeout is the point
    tcase_add_test(tc, test_label_with_a_nul_is_shown_whole);
    suite_add_tcase(s, tc);
    return s;
}
