// The files the cases start from: a text, language models of each tokenizer, a BPE
// vocabulary, a training log, a small file of each task and a model fine-tuned on it.
// They are made by the program under test, as a user would make them.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"

static const char TEXT[] =
    "the cat sat on the mat. the dog sat on the log. the cat saw the dog. the dog saw the cat.\n"
    "a small model learns which letter follows which, then which word follows which.\n"
    "the cat sat on the mat. the dog sat on the log. the cat saw the dog. the dog saw the cat.\n";

static const char *const TASK_NAMES[5] = {"classify", "entail", "similar", "similar", "choice"};
static const char *const TASK_FLAGS[5] = {"", "", "", "--regression", ""};
static const char *const TASK_ROWS[5] = {
    "the cat sat\tcat\nthe dog sat\tdog\na cat saw\tcat\na dog saw\tdog\n",
    "a cat sat\ta cat\tyes\na dog sat\ta cat\tno\nthe dog\ta dog\tmaybe\nthe cat\ta cat\tyes\n",
    "a cat\tthe cat\tsame\na dog\tthe cat\tother\nthe dog\ta dog\tsame\nthe mat\ta log\tother\n",
    "a cat\tthe cat\t4.5\na dog\tthe cat\t1\nthe dog\ta dog\t4\nthe mat\ta log\t0.5\n",
    "the cat sat on the\tmat\tdog\t1\nthe dog sat on the\tcat\tlog\t2\nthe cat saw the\tdog\tmat\t1\n",
};

// Runs `gpt ARGS`; false with the command and its output when it fails.
static bool run_gpt_for_seed(const Seeds *seeds, const char *args, char *error, size_t error_len) {
    char command[4096], log[FUZZ_PATH + 16];
    snprintf(log, sizeof log, "%s/seed.log", seeds->dir);
    snprintf(command, sizeof command, "%s %s >%s 2>&1", seeds->gpt, args, log);
    if (system(command) == 0) return true;
    size_t n;
    unsigned char *output = read_bytes(log, &n);
    snprintf(error, error_len, "making the seeds: gpt %s failed: %.*s", args, output ? (int)(n > 300 ? 300 : n) : 0,
             output ? (const char *)output : "");
    free(output);
    return false;
}

static void seed_path(const Seeds *seeds, char *out, const char *name) {
    snprintf(out, FUZZ_PATH, "%s/%s", seeds->dir, name);
}

static bool make_language_models(Seeds *seeds, char *error, size_t error_len) {
    char args[4096];
    const char *common = "--preset nano --ctx 16 --steps 2 --batch 2 --sample-tokens 0 --quiet";
    snprintf(args, sizeof args, "pretrain --data %s %s --out %s --log %s", seeds->text, common, seeds->lm, seeds->log);
    if (!run_gpt_for_seed(seeds, args, error, error_len)) return false;
    snprintf(args, sizeof args, "pretrain --data %s %s --tokenizer chars --out %s", seeds->text, common,
             seeds->lm_chars);
    if (!run_gpt_for_seed(seeds, args, error, error_len)) return false;
    snprintf(args, sizeof args, "bpe-train --data %s --merges 20 --quiet --out %s", seeds->text, seeds->vocab);
    if (!run_gpt_for_seed(seeds, args, error, error_len)) return false;
    snprintf(args, sizeof args, "pretrain --data %s %s --tokenizer bpe:%s --out %s", seeds->text, common, seeds->vocab,
             seeds->lm_bpe);
    return run_gpt_for_seed(seeds, args, error, error_len);
}

static bool make_task_models(Seeds *seeds, char *error, size_t error_len) {
    for (int t = 0; t < 5; t++) {
        char name[32], args[4096];
        snprintf(name, sizeof name, "task%d.tsv", t);
        seed_path(seeds, seeds->task_data[t], name);
        snprintf(name, sizeof name, "task%d.ckpt", t);
        seed_path(seeds, seeds->task_ckpt[t], name);
        if (!write_bytes(seeds->task_data[t], TASK_ROWS[t], strlen(TASK_ROWS[t]))) {
            snprintf(error, error_len, "%s: cannot write", seeds->task_data[t]);
            return false;
        }
        snprintf(args, sizeof args, "finetune --task %s %s --ckpt %s --train %s --epochs 1 --batch 2 --out %s --quiet",
                 TASK_NAMES[t], TASK_FLAGS[t], seeds->lm, seeds->task_data[t], seeds->task_ckpt[t]);
        if (!run_gpt_for_seed(seeds, args, error, error_len)) return false;
    }
    return true;
}

bool make_seeds(Seeds *seeds, const char *dir, const char *gpt, char *error, size_t error_len) {
    memset(seeds, 0, sizeof *seeds);
    snprintf(seeds->dir, sizeof seeds->dir, "%s", dir);
    seeds->gpt = gpt;
    seed_path(seeds, seeds->text, "text.txt");
    seed_path(seeds, seeds->lm, "lm.ckpt");
    seed_path(seeds, seeds->lm_chars, "lm_chars.ckpt");
    seed_path(seeds, seeds->lm_bpe, "lm_bpe.ckpt");
    seed_path(seeds, seeds->vocab, "vocab.bpe");
    seed_path(seeds, seeds->log, "log.csv");
    if (!write_bytes(seeds->text, TEXT, sizeof TEXT - 1)) {
        snprintf(error, error_len, "%s: cannot write", seeds->text);
        return false;
    }
    seed_path(seeds, seeds->sentiment, "sentiment.tsv");
    static const char SENTIMENT[] = "a good film\tpositive\na bad film\tnegative\nthe cat sat\tpositive\n";
    if (!write_bytes(seeds->sentiment, SENTIMENT, sizeof SENTIMENT - 1)) {
        snprintf(error, error_len, "%s: cannot write", seeds->sentiment);
        return false;
    }
    seeds->importer = fuzz_has_command("import") && fuzz_has_command("export");
    return make_language_models(seeds, error, error_len) && make_task_models(seeds, error, error_len) &&
           (!seeds->importer || make_import_seeds(seeds, error, error_len));
}

const char *seed_task_name(int t) { return TASK_NAMES[t]; }
const char *seed_task_flags(int t) { return TASK_FLAGS[t]; }
