// Hostile use of the gpt program: absurd sizes, outputs that are not regular files, a
// full disk for stdout, a model evaluated on data its head does not predict, conflicting
// flags on --resume. Each test is the regression test of a defect that fuzzing found
// (issue 14); tests/fuzz keeps looking.
// mkfifo, symlink, geteuid and getpid are POSIX.
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/helpers.h"

static const char *CORPUS =
    "the cat sat on the mat. the dog sat on the log. the cat saw the dog. the dog saw the cat.\n"
    "a small model learns which letter follows which, then which word follows which.\n";

// A nano language model of 2 steps, context 16, on CORPUS; its path.
static const char *language_model(const char *name) {
    char args[1024], text[256];
    snprintf(text, sizeof text, "%s", write_temp_file("hostile_corpus.txt", CORPUS));
    const char *path = temp_file(name);
    snprintf(args, sizeof args, "pretrain --data %s --preset nano --ctx 16 --steps 2 --batch 2 --out %s "
             "--sample-tokens 0 --quiet", text, path);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    return path;
}

// A model fine-tuned by `gpt finetune FLAGS --train TRAIN`, from a fresh language model.
static const char *fine_tuned(const char *name, const char *flags, const char *train) {
    char args[1024], lm[256], train_path[256];
    snprintf(lm, sizeof lm, "%s", language_model("hostile_lm.ckpt"));
    snprintf(train_path, sizeof train_path, "%s", train);
    const char *path = temp_file(name);
    snprintf(args, sizeof args, "finetune %s --ckpt %s --train %s --epochs 1 --out %s --quiet", flags, lm, train_path,
             path);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    return path;
}

// Exit status 2, the message, and nothing else: one line.
static void assert_one_line_usage_error(const char *args, const char *message) {
    assert_usage_error(args, message);
    char *newline = strchr(gpt_output, '\n');
    ck_assert_msg(newline != NULL && newline[1] == '\0', "gpt %s: more than one line: %s", args, gpt_output);
}

static bool is_fifo(const char *path) {
    struct stat info;
    return lstat(path, &info) == 0 && S_ISFIFO(info.st_mode);
}

// Defect 1: every writer replaced whatever --out named; as root, --out /dev/null made the
// device a regular file.
START_TEST(test_outputs_that_are_not_files_are_refused) {
    char args[1024], lm[256], text[256], log[256], task[256];
    snprintf(lm, sizeof lm, "%s", language_model("fifo_lm.ckpt"));
    snprintf(text, sizeof text, "%s", temp_file("hostile_corpus.txt"));
    snprintf(log, sizeof log, "%s", write_temp_file("fifo_log.csv", "step,train_loss,val_loss,lr,tokens_per_s\n1,2,,0.1,5\n"));
    snprintf(task, sizeof task, "%s", write_temp_file("fifo_task.tsv", "the cat\tcat\nthe dog\tdog\n"));
    const char *fifo = temp_file("out.svg");  // a name every writer accepts
    remove(fifo);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    const char *commands[] = {
        "pretrain --data %s --preset nano --ctx 16 --steps 1 --batch 2 --sample-tokens 0 --quiet --out %s",
        "bpe-train --data %s --merges 3 --quiet --out %s",
        "plot --log %s --out %s",
        "attention --ckpt %s --text abc --out %s",
        "graph --ckpt %s --out %s",
        "finetune --task classify --ckpt %s --train %s --epochs 1 --quiet --out %s",
        "eval --task classify --ckpt %s --data %s --predictions %s",
        "import --from %s%.0s --out %s",
    };
    const char *first[] = {text, text, log, lm, lm, lm, lm, "/nonexistent"};
    const char *second[] = {fifo, fifo, fifo, fifo, fifo, task, task, ""};
    for (int i = 0; i < 8; i++) {
        snprintf(args, sizeof args, commands[i], first[i], second[i], fifo);
        assert_one_line_usage_error(args, "out.svg is a FIFO (a named pipe), not a regular file: it is never replaced");
        ck_assert_msg(is_fifo(fifo), "gpt %s replaced the FIFO", args);
    }
    // found while building the fuzz stage: a log that is a FIFO held the run until read
    snprintf(args, sizeof args, "pretrain --data %s --preset nano --ctx 16 --steps 1 --sample-tokens 0 --log %s", text,
             fifo);
    assert_one_line_usage_error(args, "out.svg: cannot write the log: it is a FIFO (a named pipe), not a regular file");
    snprintf(args, sizeof args, "finetune --task classify --ckpt %s --train %s --epochs 1 --quiet --log %s", lm, task,
             fifo);
    assert_one_line_usage_error(args, "out.svg: cannot write the log: it is a FIFO (a named pipe), not a regular file");
    remove(fifo), remove(lm);
}
END_TEST

// export writes a folder: a FIFO in it is not replaced either (a run-time error, exit 1).
static void assert_export_keeps_a_fifo(const char *lm) {
    const char *folder = temp_file("fifo_export");
    char inside[300], args[1024];
    snprintf(inside, sizeof inside, "%s/model.safetensors", folder);
    remove(inside), remove(folder);
    ck_assert_int_eq(mkdir(folder, 0700), 0);
    ck_assert_int_eq(mkfifo(inside, 0600), 0);
    snprintf(args, sizeof args, "export --ckpt %s --out %s", lm, folder);
    ck_assert_int_eq(run_gpt(args), 1);
    ck_assert_msg(strstr(gpt_output, "model.safetensors is a FIFO (a named pipe), not a regular file") != NULL, "%s",
                  gpt_output);
    ck_assert_msg(is_fifo(inside), "gpt %s replaced the FIFO", args);
    remove(inside), remove(folder);
}

// Defect 1 again: a symbolic link, a device node (as root), an empty path, a folder's file.
START_TEST(test_links_devices_and_empty_paths_are_refused) {
    char args[1024], lm[256], text[256];
    snprintf(lm, sizeof lm, "%s", language_model("link_lm.ckpt"));
    snprintf(text, sizeof text, "%s", temp_file("hostile_corpus.txt"));
    const char *link = temp_file("link.ckpt");
    remove(link);
    ck_assert_int_eq(symlink("/dev/null", link), 0);
    snprintf(args, sizeof args, "pretrain --data %s --preset nano --ctx 16 --steps 1 --sample-tokens 0 --out %s", text,
             link);
    assert_one_line_usage_error(args, "link.ckpt is a symbolic link, not a regular file");
    if (geteuid() == 0) {  // a device node of our own, as the issue reproduced it
        const char *device = temp_file("fakenull");
        char make[512];
        remove(device);
        snprintf(make, sizeof make, "mknod -m 666 %s c 1 3", device);
        ck_assert_int_eq(system(make), 0);
        snprintf(args, sizeof args, "pretrain --data %s --preset nano --ctx 16 --steps 1 --out %s", text, device);
        assert_one_line_usage_error(args, "fakenull is a character device, not a regular file");
        struct stat info;
        ck_assert(lstat(device, &info) == 0 && S_ISCHR(info.st_mode));
        remove(device);
    }
    snprintf(args, sizeof args, "pretrain --data %s --preset nano --ctx 16 --steps 1 --sample-tokens 0 --out ''", text);
    assert_one_line_usage_error(args, "an empty path names no file");
    assert_export_keeps_a_fifo(lm);
    remove(link), remove(lm);
}
END_TEST

// Defect 3: a class model scored graded data through p[-1]; a regression model scored
// class data against 0; a head of 2 classes read class 2 of a 3-class file.
START_TEST(test_task_data_must_fit_the_head) {
    char args[1024], model[256];
    snprintf(model, sizeof model, "%s", fine_tuned("similar2.ckpt", "--task similar",
             write_temp_file("pairs.tsv", "a cat\tthe cat\tyes\na dog\tthe cat\tno\nthe dog\ta dog\tyes\nthe mat\ta log\tno\n")));
    const char *stsb = write_temp_file("sts-dev.csv", "main-captions\tMSRvid\t2012test\t0001\t5.000\ta cat\tthe cat\n"
                                                 "main-captions\tMSRvid\t2012test\t0002\t1.500\ta dog\tthe mat\n");
    snprintf(args, sizeof args, "eval --task similar --ckpt %s --data %s --format stsb", model, stsb);
    assert_one_line_usage_error(args, "sts-dev.csv holds graded scores, but");
    ck_assert_ptr_nonnull(strstr(gpt_output, "similar2.ckpt predicts 2 classes"));

    snprintf(model, sizeof model, "%s", fine_tuned("graded.ckpt", "--task similar --regression",
             write_temp_file("graded.tsv", "a cat\tthe cat\t4.5\na dog\tthe cat\t1\nthe dog\ta dog\t4\nthe mat\ta log\t0.5\n")));
    const char *mrpc = write_temp_file("mrpc.txt", "\xEF\xBB\xBFQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
                                              "1\t1\t2\ta cat\tthe cat\n0\t3\t4\ta dog\tthe mat\n");
    snprintf(args, sizeof args, "eval --task similar --ckpt %s --data %s", model, mrpc);
    assert_one_line_usage_error(args, "mrpc.txt holds classes, but");
    ck_assert_ptr_nonnull(strstr(gpt_output, "predicts a graded score (a regression head)"));

    snprintf(model, sizeof model, "%s", fine_tuned("entail2.ckpt", "--task entail",
             write_temp_file("entail2.tsv", "a cat sat\ta cat\tyes\na dog sat\ta cat\tno\nthe dog\ta dog\tyes\n")));
    const char *sick = write_temp_file("sick.txt",
        "pair_ID\tsentence_A\tsentence_B\tentailment_label\trelatedness_score\tentailment_AB\tentailment_BA\t"
        "sentence_A_original\tsentence_B_original\tsentence_A_dataset\tsentence_B_dataset\tSemEval_set\n"
        "1\ta cat sat\ta cat\tCONTRADICTION\t4.5\tA_contradicts_B\tB_contradicts_A\tx\ty\tFLICKR\tFLICKR\tTRAIN\n");
    snprintf(args, sizeof args, "eval --task entail --ckpt %s --data %s", model, sick);
    assert_one_line_usage_error(args, "sick.txt has 3 classes, but the head of");
    ck_assert_ptr_nonnull(strstr(gpt_output, "entail2.ckpt has 2 outputs"));
    remove(temp_file("similar2.ckpt")), remove(temp_file("graded.ckpt")), remove(model);
}
END_TEST

// Defect 4: --batch sized a buffer of batch × n_ctx tokens, not of the windows there are.
START_TEST(test_eval_batch_is_sized_by_need) {
    char args[1024], lm[256], text[256], loss[64];
    snprintf(lm, sizeof lm, "%s", language_model("batch_lm.ckpt"));
    snprintf(text, sizeof text, "%s", temp_file("hostile_corpus.txt"));
    snprintf(args, sizeof args, "eval --ckpt %s --data %s --batch 8", lm, text);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "loss: "));
    snprintf(loss, sizeof loss, "%.12s", strstr(gpt_output, "loss: "));  // the sums differ in the last bits
    snprintf(args, sizeof args, "eval --ckpt %s --data %s --batch 2147483647", lm, text);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_msg(strstr(gpt_output, loss) != NULL, "expected '%s' in: %s", loss, gpt_output);
    remove(lm);
}
END_TEST

// Defect 5: absurd sizes overflowed or aborted; each is now one line before any work.
START_TEST(test_absurd_sizes_are_one_line_usage_errors) {
    char args[512];
    const char *sizes[][2] = {
        {"--layers 2147483647", "n_layers must be at most 1024, got 2147483647"},
        {"--d-ff 2147483647", "d_ff must be at most 65536, got 2147483647"},
        {"--ctx 2147483647", "n_ctx must be at most 65536, got 2147483647"},
        {"--d-model 2147483647", "d_model must be at most 16384, got 2147483647"},
        {"--d-model 16384 --heads 1 --layers 1024", "parameters, more than the 2147483648"},
        {"--batch 2147483647", "a training step of 2147483647 x 64 tokens would need about"},
        {"--ctx 65536 --batch 4", "GiB of step memory, more than the 16 GiB limit"},
        {"--steps 2147483647", "--steps must be from 0 to 100000000, got 2147483647"},
        {"--sample-tokens 2147483647", "--sample-tokens must be from 0 (no sample) to 1000000"},
        {"--data /dev/zero", "/dev/zero: cannot read a character device, only a regular file"},
        {"--data /tmp", "/tmp: cannot read a directory, only a regular file"},
    };
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        snprintf(args, sizeof args, "pretrain --preset nano --out %s %s", temp_file("absurd.ckpt"), sizes[i][0]);
        assert_one_line_usage_error(args, sizes[i][1]);
    }
    assert_one_line_usage_error("bench --steps 2147483647", "--steps from 1 to 100000");
    assert_one_line_usage_error("bench --batch 2147483647 --steps 1", "would need about");
    assert_one_line_usage_error("bench --vocab 2147483647 --steps 1", "vocab_size must be at most 4194304");
    assert_one_line_usage_error("sample --ckpt x --tokens 2147483647", "--tokens must be at most 1000000");
    assert_one_line_usage_error("finetune --task classify --ckpt x --train y --epochs 2147483647",
                                "--epochs must be from 1 to 10000");
    remove(temp_file("absurd.ckpt"));
}
END_TEST

// ... and the batches of fine-tuning and task evaluation hold the examples there are.
START_TEST(test_task_batches_are_sized_by_need) {
    char args[1024], lm[256], train[256];
    snprintf(lm, sizeof lm, "%s", language_model("huge_batch_lm.ckpt"));
    snprintf(train, sizeof train, "%s", write_temp_file("huge_batch.tsv", "the cat\tcat\nthe dog\tdog\na cat\tcat\n"));
    const char *model = temp_file("huge_batch.ckpt");
    snprintf(args, sizeof args, "finetune --task classify --ckpt %s --train %s --dev %s --epochs 1 --batch 2147483647 "
             "--out %s --quiet", lm, train, train, model);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    snprintf(args, sizeof args, "eval --task classify --ckpt %s --data %s --batch 2147483647", model, train);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "accuracy: "));
    remove(lm), remove(model);
}
END_TEST

// `gpt ARGS >/dev/full`: its exit status; stderr in gpt_output.
static int run_gpt_into_full_disk(const char *args, const char *input) {
    char command[2048], log[128];
    snprintf(log, sizeof log, "/tmp/gpt1c_full_%ld.out", (long)getpid());
    snprintf(command, sizeof command, "%s %s <%s >/dev/full 2>%s", GPT_PROGRAM, args, input, log);
    int status = system(command);
    FILE *f = fopen(log, "r");
    size_t n = f ? fread(gpt_output, 1, sizeof gpt_output - 1, f) : 0;
    gpt_output[n] = '\0';
    if (f) fclose(f);
    remove(log);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Defect 6: output lost on a full disk was a success (exit 0).
START_TEST(test_failed_output_is_an_error) {
    char args[1024], lm[256], text[256], model[256];
    snprintf(lm, sizeof lm, "%s", language_model("full_lm.ckpt"));
    snprintf(text, sizeof text, "%s", temp_file("hostile_corpus.txt"));
    snprintf(model, sizeof model, "%s", fine_tuned("full_task.ckpt", "--task classify",
             write_temp_file("full.tsv", "the cat\tcat\nthe dog\tdog\n")));
    const char *lines = write_temp_file("full_stdin.txt", "the cat\nthe dog\n");
    const char *commands[][2] = {
        {"eval --ckpt %s --data %s", "gpt eval: writing the output failed: No space left on device"},
        {"sample --ckpt %s --tokens 5 --prompt %.0s'the'", "gpt sample: writing the output failed"},
        {"inspect --ckpt %s%.0s", "gpt inspect: writing the output failed"},
        {"predict --ckpt %s%.0s", "gpt predict: writing the output failed"},
        {"eval --task classify --ckpt %s --data %s", "gpt eval: writing the output failed"},
        {"bench --help%.0s%.0s", "gpt bench: writing the output failed"},
        {"decode --tokenizer bytes --ids '104 105'%.0s%.0s", "gpt decode: writing the output failed"},
    };
    const char *first[] = {lm, lm, lm, model, model, "", ""};
    const char *second[] = {text, "", "", "", temp_file("full.tsv"), "", ""};
    for (int i = 0; i < 7; i++) {
        snprintf(args, sizeof args, commands[i][0], first[i], second[i]);
        int status = run_gpt_into_full_disk(args, lines);
        ck_assert_msg(status == 1, "gpt %s >/dev/full: exit status %d: %s", args, status, gpt_output);
        ck_assert_msg(strstr(gpt_output, commands[i][1]) != NULL, "gpt %s: expected '%s' in: %s", args,
                      commands[i][1], gpt_output);
    }
    remove(lm), remove(model);
}
END_TEST

// Defect 7: --out was first tried after the training.
START_TEST(test_out_is_checked_before_training) {
    char args[1024], lm[256], text[256];
    snprintf(lm, sizeof lm, "%s", language_model("early_lm.ckpt"));
    snprintf(text, sizeof text, "%s", temp_file("hostile_corpus.txt"));
    snprintf(args, sizeof args, "pretrain --data %s --preset nano --ctx 16 --steps 300 --out /nonexistent/x.ckpt", text);
    assert_one_line_usage_error(args, "/nonexistent/x.ckpt: cannot write this file: No such file or directory");
    const char *train = write_temp_file("early.tsv", "the cat\tcat\nthe dog\tdog\n");
    snprintf(args, sizeof args, "finetune --task classify --ckpt %s --train %s --epochs 3 --out /nonexistent/t.ckpt", lm,
             train);
    assert_one_line_usage_error(args, "/nonexistent/t.ckpt: cannot write this file");
    snprintf(args, sizeof args, "eval --task classify --ckpt %s --data %s --predictions /nonexistent/p.tsv", lm, train);
    assert_one_line_usage_error(args, "/nonexistent/p.tsv: cannot write this file");
    remove(lm);
}
END_TEST

// Defect 8: --resume ignored the flags that make another model, and claimed a checkpoint
// when nothing was trained or written.
START_TEST(test_resume_refuses_model_flags) {
    char args[1024], lm[256], text[256];
    snprintf(lm, sizeof lm, "%s", language_model("resume_lm.ckpt"));  // at step 2
    snprintf(text, sizeof text, "%s", temp_file("hostile_corpus.txt"));
    const char *flags[] = {"--preset tiny", "--layers 2", "--d-model 64", "--heads 2", "--d-ff 64", "--ctx 8",
                           "--act gelu", "--dropout 0.1", "--tokenizer chars"};
    for (int i = 0; i < 9; i++) {
        snprintf(args, sizeof args, "pretrain --data %s --resume %s --steps 3 --out %s %s", text, lm, lm, flags[i]);
        char expected[128];
        snprintf(expected, sizeof expected, "%.*s cannot be used with --resume", (int)strcspn(flags[i], " "), flags[i]);
        assert_one_line_usage_error(args, expected);
    }
    snprintf(args, sizeof args, "pretrain --data %s --resume %s --steps 1 --out %s", text, lm, lm);
    assert_one_line_usage_error(args, "--steps 1 is below the step of");
    snprintf(args, sizeof args, "pretrain --data %s --resume %s --steps 2 --out %s --sample-tokens 0", text, lm, lm);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_msg(strstr(gpt_output, "checkpoint:") == NULL, "%s", gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "nothing trained: the run is at step 2 and --steps is 2"));
    const char *fresh = temp_file("steps0.ckpt");
    remove(fresh);
    snprintf(args, sizeof args, "pretrain --data %s --preset nano --ctx 16 --steps 0 --out %s --sample-tokens 0", text,
             fresh);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_msg(strstr(gpt_output, "checkpoint:") == NULL, "%s", gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "no checkpoint written"));
    ck_assert_int_eq(access(fresh, F_OK), -1);
    remove(lm);
}
END_TEST

// Defect 10: an empty line reached the encoder as no text at all (memcpy from NULL).
START_TEST(test_predict_empty_line) {
    char args[1024], model[256];
    snprintf(model, sizeof model, "%s", fine_tuned("empty_line.ckpt", "--task classify",
             write_temp_file("empty_line.tsv", "the cat\tcat\nthe dog\tdog\n")));
    snprintf(args, sizeof args, "predict --ckpt %s < %s", model, write_temp_file("empty_stdin.txt", "\nthe cat\n"));
    assert_usage_error(args, "stdin:1: an empty line: expected 1 field (the text)");
    ck_assert_msg(strstr(gpt_output, "cat=0.") != NULL, "no answer for line 2: %s", gpt_output);
    remove(model);
}
END_TEST

Suite *hostile_cli_suite(void) {
    Suite *s = suite_create("hostile_cli");
    TCase *tc = tcase_create("hostile gpt program");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_outputs_that_are_not_files_are_refused);
    tcase_add_test(tc, test_links_devices_and_empty_paths_are_refused);
    tcase_add_test(tc, test_task_data_must_fit_the_head);
    tcase_add_test(tc, test_eval_batch_is_sized_by_need);
    tcase_add_test(tc, test_absurd_sizes_are_one_line_usage_errors);
    tcase_add_test(tc, test_task_batches_are_sized_by_need);
    tcase_add_test(tc, test_failed_output_is_an_error);
    tcase_add_test(tc, test_out_is_checked_before_training);
    tcase_add_test(tc, test_resume_refuses_model_flags);
    tcase_add_test(tc, test_predict_empty_line);
    suite_add_tcase(s, tc);
    return s;
}
