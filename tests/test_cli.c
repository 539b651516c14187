// The gpt program: bad input gets a clear one-line message and exit status 2; a
// diverging run exits 1 and leaves the previous checkpoint alone; a small run works
// from end to end (pretrain, sample, eval, inspect).
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/helpers.h"

START_TEST(test_bad_input_exits_2) {
    assert_usage_error("pretrain --bogus", "unknown option '--bogus'");
    assert_usage_error("pretrain --data /nonexistent/text.txt", "/nonexistent/text.txt: cannot open");
    char args[512];
    snprintf(args, sizeof args, "pretrain --data %s", write_temp_file("empty.txt", ""));
    assert_usage_error(args, "the file is empty");
    assert_usage_error("pretrain --preset huge", "no preset named 'huge'");
    assert_usage_error("pretrain --batch 0", "--batch must be at least 1");
    assert_usage_error("pretrain --heads 5", "n_heads (5) must divide d_model (128)");
    assert_usage_error("pretrain --steps abc", "--steps expects an integer, got 'abc'");
    assert_usage_error("pretrain --lr", "--lr needs a value");
    assert_usage_error("pretrain --tokenizer words", "--tokenizer must be");
    assert_usage_error("sample", "--ckpt is required");
    snprintf(args, sizeof args, "eval --ckpt %s --data x", write_temp_file("bad.ckpt", "this text file is not a checkpoint of any kind"));
    assert_usage_error(args, "not a gpt1.c checkpoint");
    assert_usage_error("frobnicate", "unknown command 'frobnicate'");
    ck_assert_int_eq(run_gpt("pretrain --help"), 0);
    ck_assert_ptr_nonnull(strstr(gpt_output, "--resume"));
}
END_TEST

// A value out of range is refused, not replaced by the preset's or the default. The
// runs are short (nano, no steps) so that a value wrongly accepted fails fast.
START_TEST(test_out_of_range_values_exit_2) {
    char args[512];
    const char *sizes[][2] = {
        {"--layers -2", "--layers must be at least 1, got -2"},
        {"--layers 0", "--layers must be at least 1, got 0"},
        {"--ctx -1", "--ctx must be at least 1, got -1"},
        {"--d-model -8", "--d-model must be at least 1, got -8"},
        {"--seq -1", "--seq must not be negative (0: n_ctx), got -1"},
        {"--sample-tokens -5", "--sample-tokens must be from 0 (no sample) to 1000000, got -5"},
        {"--dropout -2", "--dropout must be in [0, 1), or -1 for the preset's, got -2"},
        {"--lr nan", "--lr expects a finite number, got 'nan'"},
        {"--clip inf", "--clip expects a finite number, got 'inf'"},
        {"--batch 2147483648", "--batch expects an integer, got '2147483648'"},
        {"--layers -2147483648", "--layers must be at least 1, got -2147483648"},  // INT_MIN is an int
        {"--warmup 1.5", "--warmup expects a number of steps (100) or a percentage of all the steps (0.2%), got '1.5'"},
        {"--warmup -3", "--warmup expects a number of steps (100) or a percentage of all the steps (0.2%), got '-3'"},
        {"--warmup 200%", "--warmup expects a number of steps (100) or a percentage of all the steps (0.2%), got '200%'"},
        {"--warmup %", "--warmup expects a number of steps (100) or a percentage of all the steps (0.2%), got '%'"},
        {"--optimizer rmsprop", "--optimizer must be sgd or adam, got 'rmsprop'"},
    };
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        snprintf(args, sizeof args, "pretrain --preset nano --steps 0 --sample-tokens 0 --out %s %s",
                 temp_file("range.ckpt"), sizes[i][0]);
        assert_usage_error(args, sizes[i][1]);
    }
    assert_usage_error("sample --ckpt x --temperature inf", "--temperature expects a finite number, got 'inf'");
    assert_usage_error("bench --preset nano --steps 1 --vocab -3", "--vocab must not be negative (0: the preset's)");
    assert_usage_error("bench --preset nano --steps 1 --seq -1", "--seq must not be negative (0: n_ctx)");
    remove(temp_file("range.ckpt"));
}
END_TEST

// --optimizer adam without --lr trains at the paper's rate, not at SGD's 0.3; with --lr, at that.
START_TEST(test_adam_takes_the_papers_rate) {
    char args[512];
    snprintf(args, sizeof args, "pretrain --preset nano --steps 2 --eval-windows 1 --sample-tokens 0 --quiet "
             "--optimizer adam --out %s", temp_file("adam.ckpt"));
    ck_assert_int_eq(run_gpt(args), 0);
    ck_assert_msg(strstr(gpt_output, "Adam lr 0.00025") != NULL, "output: %s", gpt_output);
    snprintf(args, sizeof args, "pretrain --preset nano --steps 2 --eval-windows 1 --sample-tokens 0 --quiet "
             "--optimizer adam --lr 0.001 --out %s", temp_file("adam.ckpt"));
    ck_assert_int_eq(run_gpt(args), 0);
    ck_assert_msg(strstr(gpt_output, "Adam lr 0.001,") != NULL, "output: %s", gpt_output);
    remove(temp_file("adam.ckpt"));
}
END_TEST

// Options that only mean something with --task are refused without it.
START_TEST(test_eval_task_options_need_task) {
    assert_usage_error("eval --ckpt x --data y --predictions p.tsv", "--predictions needs --task");
    assert_usage_error("eval --ckpt x --data y --format tsv", "--format needs --task");
    assert_usage_error("eval --ckpt x --data y --skip-bad", "--skip-bad needs --task");
    assert_usage_error("eval --task classify --ckpt x --data y --batch 0", "--batch must be at least 1, got 0");
    assert_usage_error("finetune --task foo --ckpt x --train y", "--task must be classify, entail, similar or choice, got 'foo'");
    assert_usage_error("finetune --ckpt x --train y", "--task is required");
    assert_usage_error("finetune --task classify --ckpt x --train y --warmup 0.002",
                       "--warmup expects a number of steps (100) or a percentage of all the steps (0.2%), got '0.002'");
    assert_usage_error("finetune --task classify --ckpt x --train y --decay cubic",
                       "--decay must be constant, cosine or linear, got 'cubic'");
    assert_usage_error("finetune --task classify --ckpt x --train y --optimizer Adam",
                       "--optimizer must be sgd or adam, got 'Adam'");
    assert_usage_error("finetune --task classify --ckpt x --train y --clf-dropout 1",
                       "--clf-dropout must be in [0, 1), or -1 for the model's dropout, got 1");
}
END_TEST

// bpe-train checks --out before it trains, and claims success only for a saved file; a
// directory is never replaced.
START_TEST(test_bpe_train_output_problems) {
    char args[1024], data_path[256];
    snprintf(data_path, sizeof data_path, "%s", temp_file("bpe_text.txt"));
    FILE *f = fopen(data_path, "w");
    fputs("the cat sat on the mat. the dog sat on the log.\n", f);
    fclose(f);
    snprintf(args, sizeof args, "bpe-train --data %s --out /nonexistent/dir/vocab.bpe --quiet", data_path);
    assert_usage_error(args, "/nonexistent/dir/vocab.bpe: cannot write this file");
    const char *dir = temp_file("bpe_out_dir");
    snprintf(args, sizeof args, "mkdir -p %s", dir);
    ck_assert_int_eq(system(args), 0);
    snprintf(args, sizeof args, "bpe-train --data %s --merges 5 --out %s --quiet", data_path, dir);
    assert_usage_error(args, "bpe_out_dir is a directory, not a regular file: it is never replaced");
    ck_assert_msg(strstr(gpt_output, "learned") == NULL, "success claimed: %s", gpt_output);

    rmdir(dir);
    remove(data_path);
}
END_TEST

static const char *TEXT =
    "the cat sat on the mat. the dog sat on the log. the cat saw the dog. the dog saw the cat.\n"
    "a small model learns which letter follows which, then which word follows which.\n";

START_TEST(test_small_run_end_to_end) {
    char args[1024];
    const char *data = write_temp_file("text.txt", TEXT);
    char data_path[256];
    snprintf(data_path, sizeof data_path, "%s", data);
    const char *ckpt = temp_file("small.ckpt");
    snprintf(args, sizeof args,
             "pretrain --data %s --preset nano --ctx 16 --steps 4 --batch 2 --tokenizer chars --out %s "
             "--log %s --sample-tokens 10 --quiet", data_path, ckpt, temp_file("log.csv"));
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "--- sample"));
    snprintf(args, sizeof args, "sample --ckpt %s --prompt 'the ' --tokens 20 --temperature 0", ckpt);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert(strncmp(gpt_output, "the ", 4) == 0);
    // the key/value cache (the default) and --no-cache give the same text, past the window of 16 too
    static char cached[sizeof gpt_output];
    snprintf(args, sizeof args, "sample --ckpt %s --prompt 'the ' --tokens 40 --seed 4", ckpt);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    strcpy(cached, gpt_output);
    snprintf(args, sizeof args, "sample --ckpt %s --prompt 'the ' --tokens 40 --seed 4 --no-cache", ckpt);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_str_eq(gpt_output, cached);
    snprintf(args, sizeof args, "eval --ckpt %s --data %s", ckpt, data_path);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "loss: "));
    snprintf(args, sizeof args, "inspect --ckpt %s", ckpt);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "blocks.2.mlp.c_proj.weight"));
    ck_assert_ptr_nonnull(strstr(gpt_output, "step: 4"));
    ck_assert_ptr_nonnull(strstr(gpt_output, "tokenizer: chars"));
    FILE *log = fopen(temp_file("log.csv"), "r");
    char header[128] = {0};
    ck_assert_ptr_nonnull(fgets(header, sizeof header, log));
    ck_assert_str_eq(header, "step,train_loss,val_loss,lr,tokens_per_s\n");
    fclose(log);
    // a prompt with a character the vocabulary lacks is a clear error
    snprintf(args, sizeof args, "sample --ckpt %s --prompt 'XYZ'", ckpt);
    assert_usage_error(args, "not in the");
    remove(ckpt);
    remove(temp_file("log.csv"));
}
END_TEST

START_TEST(test_bpe_tokenizer_end_to_end) {
    char args[1024], data_path[256];
    snprintf(data_path, sizeof data_path, "%s", write_temp_file("text3.txt", TEXT));
    const char *vocab = temp_file("vocab.bpe"), *ckpt = temp_file("bpe.ckpt");
    snprintf(args, sizeof args, "bpe-train --data %s --merges 20 --out %s --quiet", data_path, vocab);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "learned 20 merges"));
    snprintf(args, sizeof args, "pretrain --data %s --tokenizer bpe:%s --preset nano --ctx 16 --steps 2 --batch 2 "
             "--out %s --sample-tokens 0 --quiet", data_path, vocab, ckpt);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    snprintf(args, sizeof args, "inspect --ckpt %s", ckpt);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "tokenizer: bpe, 532 text tokens"));  // 512 byte tokens + 20 merges
    snprintf(args, sizeof args, "sample --ckpt %s --prompt 'the cat' --tokens 5", ckpt);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert(strncmp(gpt_output, "the cat", 7) == 0);
    snprintf(args, sizeof args, "pretrain --tokenizer bpe:%s", write_temp_file("bad.bpe", "not a vocabulary\n"));
    assert_usage_error(args, "bad.bpe");
    remove(vocab);
    remove(ckpt);
}
END_TEST

START_TEST(test_finetune_eval_predict) {
    char args[1024], data_path[256], train_path[256];
    snprintf(data_path, sizeof data_path, "%s", write_temp_file("text4.txt", TEXT));
    snprintf(train_path, sizeof train_path, "%s",
             write_temp_file("train.tsv", "the cat sat\tcat\nthe dog sat\tdog\na cat saw\tcat\na dog saw\tdog\n"
                                     "the cat\tcat\nthe dog\tdog\ncat cat\tcat\ndog dog\tdog\n"));
    const char *lm = temp_file("lm.ckpt"), *task = temp_file("task.ckpt");
    snprintf(args, sizeof args, "pretrain --data %s --preset nano --ctx 32 --steps 2 --batch 2 --out %s "
             "--sample-tokens 0 --quiet", data_path, lm);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    snprintf(args, sizeof args, "finetune --task classify --ckpt %s --train %s --dev %s --epochs 2 --out %s --quiet",
             lm, train_path, train_path, task);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "best dev accuracy"));
    ck_assert_ptr_nonnull(strstr(gpt_output, "SGD lr 0.05, lambda 0.5, classifier dropout 0"));  // plain SGD by default
    // The paper's schedule in SGD form, and its classifier dropout.
    snprintf(args, sizeof args, "finetune --task classify --ckpt %s --train %s --dev %s --epochs 2 --out %s --quiet "
             "--warmup 0.2%% --decay linear --clip 1 --clf-dropout 0.1 --log %s", lm, train_path, train_path, task,
             temp_file("schedule.csv"));
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "SGD lr 0.05, clipped at norm 1, warm-up 0.2% of the steps, linear decay, "
                                             "lambda 0.5, classifier dropout 0.1"));
    snprintf(args, sizeof args, "inspect --ckpt %s", task);  // the whole task model
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "task head: classify, 2 outputs"));
    ck_assert_ptr_nonnull(strstr(gpt_output, "head.weight"));
    snprintf(args, sizeof args, "sample --ckpt %s --prompt 'the ' --tokens 5", task);  // the language model under it
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert(strncmp(gpt_output, "the ", 4) == 0);
    snprintf(args, sizeof args, "eval --task classify --ckpt %s --data %s", task, train_path);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "accuracy: "));
    ck_assert_ptr_nonnull(strstr(gpt_output, "f1: "));
    snprintf(args, sizeof args, "predict --ckpt %s < %s", task, write_temp_file("stdin.txt", "the cat sat\nthe dog\n"));
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "cat=0."));  // label names from the checkpoint
    ck_assert_ptr_nonnull(strstr(gpt_output, "dog=0."));
    snprintf(args, sizeof args, "predict --ckpt %s < %s", task, write_temp_file("stdin2.txt", "too\tmany\n"));
    assert_usage_error(args, "stdin:1: expected 1 field");
    assert_usage_error(args, "stdin:1: expected 1 field (the text), got 2");
    snprintf(args, sizeof args, "predict --ckpt %s < %s", task, write_temp_file("stdin3.txt", "0\t1\t2\t3\t4\t5\t6\t7\t8\t9\n"));
    assert_usage_error(args, "stdin:1: at most 9 fields (a context and 8 options), got 10");
    snprintf(args, sizeof args, "predict --ckpt %s --task foo < %s", task, temp_file("stdin.txt"));
    assert_usage_error(args, "--task must be classify, entail, similar or choice, got 'foo'");
    snprintf(args, sizeof args, "predict --ckpt %s --task entail < %s", task, temp_file("stdin.txt"));
    assert_usage_error(args, "has a classify head, not entail");
    snprintf(args, sizeof args, "eval --task classify --ckpt %s --data %s --batch 3", task, train_path);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "8 examples in batches of 3"));
    snprintf(args, sizeof args, "eval --task entail --ckpt %s --data %s", task, train_path);
    assert_usage_error(args, "has a classify head, not entail");
    snprintf(args, sizeof args, "finetune --task classify --ckpt %s --train %s", lm,
             write_temp_file("bad.tsv", "fine\t1\nno label here\nfine again\t0\n"));
    assert_usage_error(args, "bad.tsv:2:");
    snprintf(args, sizeof args, "finetune --task classify --ckpt %s --train %s", lm, write_temp_file("empty.tsv", ""));
    assert_usage_error(args, "empty.tsv");
    snprintf(args, sizeof args, "predict --ckpt %s", lm);
    assert_usage_error(args, "a language model without a task head");
    snprintf(args, sizeof args, "pretrain --data %s --preset nano --ctx 2 --steps 1 --batch 1 --out %s "
             "--sample-tokens 0 --quiet", data_path, lm);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    snprintf(args, sizeof args, "finetune --task classify --ckpt %s --train %s --out %s", lm, train_path, task);
    assert_usage_error(args, "the classify head needs n_ctx of at least 3 (for <s> $ <e>), got 2");
    remove(lm);
    remove(task);
}
END_TEST

// Ctrl-C (SIGINT) during pre-training: a checkpoint of the current step, exit 0.
START_TEST(test_interrupt_saves_checkpoint) {
    char command[1024], data_path[256];
    snprintf(data_path, sizeof data_path, "%s", write_temp_file("text5.txt", TEXT));
    const char *ckpt = temp_file("interrupt.ckpt");
    remove(ckpt);
    snprintf(command, sizeof command,
             "sh -c '%s pretrain --data %s --preset nano --ctx 16 --batch 2 --steps 100000000 --eval-every 0 --out %s "
             "--sample-tokens 0 --quiet >/dev/null 2>&1 & pid=$!; sleep 2; kill -INT $pid; wait $pid'",
             GPT_PROGRAM, data_path, ckpt);
    int status = system(command);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d", status);
    char args[512];
    snprintf(args, sizeof args, "inspect --ckpt %s", ckpt);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    char *step = strstr(gpt_output, "step: ");
    ck_assert_ptr_nonnull(step);
    ck_assert_int_gt(atol(step + 6), 0);
    remove(ckpt);
}
END_TEST

// docs/cli.md holds every command's --help verbatim (make cli-reference writes it).
START_TEST(test_cli_reference_is_current) {
    FILE *f = fopen("docs/cli.md", "r");
    ck_assert_msg(f != NULL, "docs/cli.md is missing: make cli-reference");
    static char doc[1 << 17];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    doc[n] = '\0';
    fclose(f);
    ck_assert_int_eq(run_gpt("--help"), 0);
    static char commands[sizeof gpt_output];
    memcpy(commands, gpt_output, sizeof gpt_output);
    ck_assert_msg(strstr(doc, commands) != NULL, "docs/cli.md lacks the current `gpt --help`: make cli-reference");
    for (char *line = strtok(commands, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        char name[32], args[64];
        if (strncmp(line, "  ", 2) != 0 || sscanf(line + 2, "%31[a-z-]", name) != 1) continue;
        snprintf(args, sizeof args, "%s --help", name);
        ck_assert_int_eq(run_gpt(args), 0);
        ck_assert_msg(strstr(doc, gpt_output) != NULL, "docs/cli.md lacks the current `gpt %s`: make cli-reference", args);
    }
}
END_TEST

static long file_bytes(const char *path, char *buf, long cap) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return -1;
    long n = (long)fread(buf, 1, (size_t)cap, f);
    fclose(f);
    return n;
}

START_TEST(test_divergence_keeps_last_checkpoint) {
    char args[1024];
    const char *data = write_temp_file("text2.txt", TEXT);
    char data_path[256];
    snprintf(data_path, sizeof data_path, "%s", data);
    const char *ckpt = temp_file("diverge.ckpt");
    snprintf(args, sizeof args, "pretrain --data %s --preset nano --ctx 16 --steps 2 --batch 2 --out %s "
             "--sample-tokens 0 --quiet", data_path, ckpt);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    static char before[1 << 20], after[1 << 20];
    long n_before = file_bytes(ckpt, before, sizeof before);
    snprintf(args, sizeof args, "pretrain --data %s --preset nano --ctx 16 --steps 50 --batch 2 --lr 1e6 --out %s "
             "--sample-tokens 0 --quiet", data_path, ckpt);
    int status = run_gpt(args);
    ck_assert_msg(status == 1, "exit status %d: %s", status, gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "smaller learning rate"));
    long n_after = file_bytes(ckpt, after, sizeof after);
    ck_assert_int_eq(n_before, n_after);
    ck_assert_int_eq(memcmp(before, after, (size_t)n_before), 0);
    remove(ckpt);
}
END_TEST

Suite *cli_suite(void) {
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("gpt program");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_bad_input_exits_2);
    tcase_add_test(tc, test_out_of_range_values_exit_2);
    tcase_add_test(tc, test_adam_takes_the_papers_rate);
    tcase_add_test(tc, test_eval_task_options_need_task);
    tcase_add_test(tc, test_bpe_train_output_problems);
    tcase_add_test(tc, test_small_run_end_to_end);
    tcase_add_test(tc, test_divergence_keeps_last_checkpoint);
    tcase_add_test(tc, test_bpe_tokenizer_end_to_end);
    tcase_add_test(tc, test_finetune_eval_predict);
    tcase_add_test(tc, test_interrupt_saves_checkpoint);
    tcase_add_test(tc, test_cli_reference_is_current);
    suite_add_tcase(s, tc);
    return s;
}
