// gpt finetune: supervised fine-tuning of a pre-trained checkpoint on one of the
// four task types, with L3 = L2 + λ·L1 and plain SGD.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"
#include "gpt/cli/commands.h"
#include "gpt/finetune.h"
#include "gpt/task_model.h"
#include "gpt/transfer.h"
#include "gpt/tasks/task_encode.h"

typedef struct FinetuneArgs {
    const char *task, *ckpt, *train, *dev, *format, *out, *log, *combine, *warmup, *decay, *init, *optimizer;
    int epochs, batch, dev_split, max_train, transfer_layers;
    long seed;
    float lr, lambda, clip, clf_dropout;
    bool regression, no_pretrain, skip_bad, quiet, check_finite;
} FinetuneArgs;

// Train and dev sets: --dev, or --dev-split N examples held out of --train.
static void load_sets(const Command *command, const FinetuneArgs *a, TaskReadOptions *o, TaskDataset *train,
                      TaskDataset *dev) {
    TaskDataset all;
    load_task_data_or_exit(command, &all, a->train, o);
    memset(dev, 0, sizeof *dev);
    if (a->dev_split > 0) {
        if (!task_dataset_split(&all, a->dev_split, (uint64_t)a->seed, train, dev))
            usage_error(command, "--dev-split: %s", train->error);
        task_dataset_free(&all);
    } else {
        *train = all;
        if (a->dev != NULL) {
            o->labels = (const char *const *)train->label_names;
            o->n_labels = train->n_labels;
            load_task_data_or_exit(command, dev, a->dev, o);
        }
    }
    task_dataset_describe(stderr, "train", train);
    if (dev->n_examples > 0) task_dataset_describe(stderr, "dev", dev);
}

static TaskHeadConfig head_config(const Command *command, const FinetuneArgs *a, const TaskDataset *train) {
    TaskHeadConfig head = {.task = train->task, .regression = train->graded};
    head.n_outputs = train->task == TASK_CHOICE || train->graded ? 1 : train->n_labels;
    if (strcmp(a->combine, "add") == 0)
        head.combine = COMBINE_ADD;
    else if (strcmp(a->combine, "concat") != 0)
        usage_error(command, "--similarity-combine must be concat or add, got '%s'", a->combine);
    if (head.task != TASK_CHOICE && !head.regression && head.n_outputs < 2)
        usage_error(command, "%s: the training data has %d class; at least 2 are needed", a->train, head.n_outputs);
    for (int i = 0; i < train->n_labels; i++)  // a checkpoint keeps the class names: they must fit its format
        if (strlen(train->label_names[i]) > TASK_LABEL_MAX_BYTES)
            usage_error(command, "%s: class %d's name is %zu bytes long; at most %d are kept", a->train, i,
                        strlen(train->label_names[i]), TASK_LABEL_MAX_BYTES);
    return head;
}

static int run_finetune(const Command *command, const FinetuneArgs *a, const SgdOptions *sgd) {
    TaskReadOptions read = read_options_or_exit(command, a->task, a->format, a->regression, a->skip_bad);
    Tokenizer pretrained_tokenizer, tokenizer;
    Gpt *pretrained = load_checkpoint_or_exit(command, a->ckpt, &pretrained_tokenizer, NULL);
    TaskDataset train_data, dev_data;
    load_sets(command, a, &read, &train_data, &dev_data);
    TaskHeadConfig head = head_config(command, a, &train_data);
    char why[200];
    if (!task_head_validate(&pretrained->config, &head, why, sizeof why)) usage_error(command, "%s: %s", a->ckpt, why);
    WeightScale scale;
    if (!weight_scale_from_name(a->init, &scale)) usage_error(command, "--init must be gpt1 or fan-in, got '%s'", a->init);
    TaskModel *model = task_model_from_pretrained_as(pretrained, &pretrained_tokenizer, &tokenizer, head, a->no_pretrain,
                                                     (uint64_t)a->seed, scale);
    int n_layers = model->gpt->config.n_layers;
    if (option_given(command, "transfer-layers")) {  // Figure 2, left: the later blocks start afresh
        if (a->transfer_layers > n_layers)
            usage_error(command, "--transfer-layers %d: %s has %d decoder block%s", a->transfer_layers, a->ckpt,
                        n_layers, n_layers == 1 ? "" : "s");
        reinitialize_blocks_from(model->gpt, a->transfer_layers, (uint64_t)a->seed ^ 0x7A5Full, scale);
    }
    task_model_set_label_names(model, train_data.label_names, train_data.n_labels);
    if (a->clf_dropout >= 0.0f) model->clf_dropout = a->clf_dropout;  // -1: the model's dropout
    gpt_free(pretrained);
    tokenizer_free(&pretrained_tokenizer);
    EncodedDataset train = encode_or_exit_dataset(command, &train_data, &tokenizer, a->train);
    EncodedDataset dev = encode_or_exit_dataset(command, &dev_data, &tokenizer, a->dev ? a->dev : a->train);
    if (a->max_train > 0 && a->max_train < train.n) train.n = a->max_train;
    const char *dev_path = a->dev ? a->dev : a->train;
    char model_name[300];
    snprintf(model_name, sizeof model_name, "the model fine-tuned on %s", a->train);
    if (dev.n > 0) check_task_data_fits_or_exit(command, dev_path, model_name, &dev_data, &dev, &model->head);
    check_task_memory_or_exit(command, &model->gpt->config, head.task, &train, a->batch, true);
    check_task_memory_or_exit(command, &model->gpt->config, head.task, &dev, a->batch, false);
    config_print(stderr, &model->gpt->config);
    task_head_print(stderr, &model->gpt->config, &model->head);
    FinetuneOptions o = {.epochs = a->epochs, .batch = a->batch, .sgd = *sgd, .lambda = a->lambda,
                         .seed = (uint64_t)a->seed, .out = a->out, .log = a->log, .quiet = a->quiet};
    char sgd_text[160];
    fprintf(stderr, "fine-tuning: %d epochs of %d examples in batches of %d, %s, lambda %g, classifier dropout %g%s\n",
            a->epochs, train.n, a->batch, sgd_describe(&o.sgd, sgd_text, sizeof sgd_text), a->lambda,
            model->clf_dropout, a->no_pretrain ? ", without pre-training" : "");
    if (option_given(command, "transfer-layers"))
        fprintf(stderr, "transfer: the embeddings and %d of %d blocks transferred, the others start afresh\n",
                a->transfer_layers, n_layers);
    FinetuneReport report;
    char error[512];
    bool ok = finetune(model, &tokenizer, train.examples, train.n, dev.examples, dev.n, &o, &report, error, sizeof error);
    if (ok && dev.n > 0 && head.regression)
        fprintf(stderr, "best dev mse %.4f, pearson %.4f (epoch %d, the lowest mse) saved in %s\n",
                report.best_dev.mean_loss, report.best_dev.pearson, report.best_epoch, a->out);
    else if (ok && dev.n > 0)
        fprintf(stderr, "best dev accuracy %.4f (epoch %d) saved in %s\n", report.best_dev.accuracy, report.best_epoch,
                a->out);
    encoded_dataset_free(&train), encoded_dataset_free(&dev);
    task_dataset_free(&train_data), task_dataset_free(&dev_data);
    task_model_free(model);
    tokenizer_free(&tokenizer);
    if (!ok) runtime_error("%s", error);
    return 0;
}

// The flags' values, checked before any file is read; the SGD options they give.
static void check_finetune_args(const Command *command, const FinetuneArgs *a, SgdOptions *sgd) {
    if (a->ckpt == NULL || a->train == NULL) usage_error(command, "--ckpt and --train are required");
    if (a->epochs < 1 || a->epochs > FINETUNE_MAX_EPOCHS || a->batch < 1)
        usage_error(command, "--epochs must be from 1 to %d, --batch at least 1", FINETUNE_MAX_EPOCHS);
    if (!(a->lr > 0.0f) || a->lambda < 0.0f || a->clip < 0.0f || a->dev_split < 0 || a->max_train < 0)
        usage_error(command, "--lr must be positive; --lambda, --clip, --dev-split and --max-train not negative");
    if (a->dev != NULL && a->dev_split > 0) usage_error(command, "give --dev or --dev-split, not both");
    if (option_given(command, "transfer-layers") && (a->transfer_layers < 0 || a->no_pretrain))
        usage_error(command, "--transfer-layers must be at least 0, and cannot go with --no-pretrain");
    if (a->clf_dropout != -1.0f && !(a->clf_dropout >= 0.0f && a->clf_dropout < 1.0f))
        usage_error(command, "--clf-dropout must be in [0, 1), or -1 for the model's dropout, got %g", a->clf_dropout);
    *sgd = (SgdOptions){.lr = a->lr, .clip_norm = a->clip};
    optimizer_or_exit(command, a->optimizer, FINETUNE_ADAM_LR, sgd);
    warmup_or_exit(command, a->warmup, sgd);
    if (!lr_decay_from_name(a->decay, &sgd->decay))
        usage_error(command, "--decay must be constant, cosine or linear, got '%s'", a->decay);
    if (a->out != NULL) check_output_or_exit(command, a->out);
    if (a->log != NULL) check_log_or_exit(command, a->log);
}

int finetune_command(int argc, char **argv) {
    FinetuneArgs a = {.out = "finetuned.ckpt", .combine = "concat", .warmup = "0", .decay = "constant", .init = "gpt1",
                      .optimizer = "sgd",
                      .epochs = 3, .batch = 8, .seed = 1, .lr = 0.05f, .lambda = 0.5f, .clf_dropout = -1.0f};
    KernelArgs kernels = {0};
    Option options[] = {
        {"task", OPTION_STRING, &a.task, "classify, entail, similar or choice (required)", 0},
        {"ckpt", OPTION_STRING, &a.ckpt, "the pre-trained checkpoint (required)", 0},
        {"train", OPTION_STRING, &a.train, "training examples (required)", 0},
        {"dev", OPTION_STRING, &a.dev,
         "development examples: they choose the checkpoint kept (best accuracy; regression: lowest mse)", 0},
        {"dev-split", OPTION_INT, &a.dev_split, "hold out this many --train examples as the dev set", 0},
        {"format", OPTION_STRING, &a.format, "auto, tsv, sst2, sick, mrpc, stsb or storycloze (default auto)", 0},
        {"regression", OPTION_FLAG, &a.regression, "similar: the labels are graded scores (squared error)", 0},
        {"similarity-combine", OPTION_STRING, &a.combine, "similar: concat (the default here) or add (the paper)", 0},
        {"lambda", OPTION_FLOAT, &a.lambda, "weight of the auxiliary LM loss L1 (0: off)", 0},
        {"lr", OPTION_FLOAT, &a.lr, "learning rate (default 0.05 for plain SGD, 6.25e-5 for Adam)", 0},
        {"optimizer", OPTION_STRING, &a.optimizer, "sgd (plain SGD, the default) or adam (the paper's)", 0},
        {"clip", OPTION_FLOAT, &a.clip, "clip the gradient's global norm to this (0: off; the paper: 1)", 0},
        {"warmup", OPTION_STRING, &a.warmup,
         "linear learning-rate warm-up: N steps, or P% of all the steps (0: off; the paper: 0.2%)", 0},
        {"decay", OPTION_STRING, &a.decay, "learning rate after warm-up: constant, cosine or linear (the paper: linear)", 0},
        {"clf-dropout", OPTION_FLOAT, &a.clf_dropout,
         "dropout on h_l^m before W_y while training (-1: the model's; the paper: 0.1)", 0},
        {"epochs", OPTION_INT, &a.epochs, "passes over the training examples, at most 10000 (the paper: 3)", 0},
        {"batch", OPTION_INT, &a.batch, "examples per step (the paper: 32, 8 on each of 4 GPUs; 8 keeps a CPU step short)",
         0},
        {"max-train", OPTION_INT, &a.max_train, "use only the first N training examples (0: all)", 0},
        {"seed", OPTION_LONG, &a.seed, "seed of the new weights, example order, dropout and --dev-split", 0},
        {"no-pretrain", OPTION_FLAG, &a.no_pretrain, "start from random weights (the paper's ablation)", 0},
        {"init", OPTION_STRING, &a.init, "how new weights are drawn (all with --no-pretrain, the later blocks with --transfer-layers): gpt1 or fan-in", 0},
        {"transfer-layers", OPTION_INT, &a.transfer_layers, "keep the embeddings and the first N blocks of the "
                                                            "pre-trained model, start the others afresh (default: all)", 0},
        {"skip-bad", OPTION_FLAG, &a.skip_bad, "skip malformed rows (and count them) instead of stopping", 0},
        {"out", OPTION_STRING, &a.out, "checkpoint of the best dev epoch", 0},
        {"log", OPTION_STRING, &a.log, "CSV log: step, epoch, l2, l1, l3, dev_metric", 0},
        {"quiet", OPTION_FLAG, &a.quiet, "no progress line", 0},
        {"check-finite", OPTION_FLAG, &a.check_finite, "stop at the first op that makes a NaN or inf, naming it (slower)", 0},
        {"threads", OPTION_INT, &kernels.threads, THREADS_HELP, 0},
        {"reference-kernels", OPTION_FLAG, &kernels.reference_kernels, REFERENCE_KERNELS_HELP, 0},
        {NULL, OPTION_FLAG, NULL, NULL, 0},
    };
    Command command = {"finetune", "Fine-tunes a pre-trained model on a task: SGD on L3 = L2 + λ·L1.",
                       "finetune --task T --ckpt PRETRAINED --train FILE [--dev FILE] [--lambda 0.5] [--lr LR]\n"
                       "                    [--epochs E] [--batch B] [--seed S] --out CKPT",
                       options};
    parse_options(&command, argc, argv);
    apply_kernel_args_or_exit(&command, &kernels);
    SgdOptions sgd;
    check_finetune_args(&command, &a, &sgd);
    set_check_finite(a.check_finite);
    return run_finetune(&command, &a, &sgd);
}
