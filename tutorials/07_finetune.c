// Tutorial 07: fine-tuning a pre-trained model on a toy classification task with
// L3 = L2 + λ·L1. Read tutorials/07_finetune.md alongside; run with
// build/tutorials/07_finetune.
//
// The page's "Try this" prompts are variants of this program, each built with one
// switch by `make try T=07 V=<name>` (`make tutorials` runs them all):
// Try: lambda0 -DTRY_LAMBDA0
// Try: negation -DTRY_NEGATION
// Try: print_wy -DTRY_PRINT_WY
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"
#include "gpt/finetune.h"
#include "gpt/pretrain.h"
#include "gpt/task_heads.h"
#include "tutorials/tutorial.h"

// The task: is the verdict in "the film was good." positive (1) or negative (0)?
#ifdef TRY_NEGATION
enum { N_FORMS = 2 };  // Try this: "the film was not good." too, with the label flipped
#else
enum { N_FORMS = 1 };  // "the film was good."
#endif
enum { N_SUBJECTS = 8, N_WORDS = 8, N_EXAMPLES = N_SUBJECTS * N_WORDS * N_FORMS, MAX_TEXT = 40 };
static const char *const SUBJECTS[N_SUBJECTS] = {"the film", "the meal", "the book", "the trip",
                                                 "the song", "the game", "the room", "the talk"};
static const char *const VERDICTS[N_WORDS] = {"good", "great", "lovely", "fine", "bad", "awful", "dull", "poor"};

enum { PRETRAIN_STEPS = 400, EPOCHS = 12, BATCH = 8 };
static const float LEARNING_RATE = 0.1f;
#ifdef TRY_LAMBDA0
static const float LAMBDA = 0.0f;  // Try this: no auxiliary LM loss, L3 = L2
#else
static const float LAMBDA = 0.5f;  // the paper's weight of the auxiliary LM loss
#endif

typedef struct Example {
    char text[MAX_TEXT];
    int label;
    bool dev;  // two verdicts per subject are kept for the development set
} Example;

static void make_examples(Example *examples) {
    for (int f = 0; f < N_FORMS; f++)
        for (int s = 0; s < N_SUBJECTS; s++)
            for (int w = 0; w < N_WORDS; w++) {
                Example *e = &examples[(f * N_SUBJECTS + s) * N_WORDS + w];
                snprintf(e->text, sizeof e->text, "%s was %s%s.", SUBJECTS[s], f == 1 ? "not " : "", VERDICTS[w]);
                e->label = (w < N_WORDS / 2) != (f == 1);  // "not" flips the verdict
                e->dev = w == (s + f) % 4 || w == 4 + (s + f + 1) % 4;  // one positive, one negative
            }
}

// Step 1: a language model of the training sentences, labels unused.
static Gpt *pretrain_on(const Example *examples, const Tokenizer *tokenizer) {
    char text[N_EXAMPLES * MAX_TEXT] = "", error[128];
    for (int i = 0; i < N_EXAMPLES; i++)
        if (!examples[i].dev) strcat(strcat(text, examples[i].text), " ");
    TokenSequence data;
    data.ids = tokenizer_encode(tokenizer, text, strlen(text), &data.n, error, sizeof error);
    GptConfig config = {.n_layers = 2, .d_model = 32, .n_heads = 2, .d_ff = 128, .n_ctx = 32,
                        .vocab_size = tokenizer_vocab_size(tokenizer), .activation = ACTIVATION_RELU};
    Gpt *model = gpt_create(&config);
    gpt_init_weights(model, 1);
    SgdOptions sgd = {.lr = 2.0f, .clip_norm = 1.0f, .decay = LR_COSINE};
    Batch batch = batch_create(8, 32);
    Rng rng;
    rng_seed(&rng, 2);
    float loss = 0;
    for (long step = 0; step < PRETRAIN_STEPS; step++) {
        batch_sample(&batch, &data, &rng);
        loss = train_step(model, &batch, &sgd, learning_rate_at(&sgd, step, PRETRAIN_STEPS));
    }
    printf("  %ld characters of unlabelled text, %d SGD steps: L1 loss %.3f\n", data.n, PRETRAIN_STEPS, loss);
    batch_free(&batch);
    free(data.ids);
    return model;
}

// Each sentence becomes an example of one field; ids points into a buffer it owns.
static int encode_split(const Example *examples, bool dev, const Tokenizer *tokenizer, EncodedExample *out,
                        int (*ids)[MAX_TEXT]) {
    int n = 0;
    for (int i = 0; i < N_EXAMPLES; i++) {
        if (examples[i].dev != dev) continue;
        char error[128];
        long len;
        int *encoded = tokenizer_encode(tokenizer, examples[i].text, strlen(examples[i].text), &len, error, sizeof error);
        memcpy(ids[n], encoded, sizeof(int) * (size_t)len);
        free(encoded);
        out[n] = (EncodedExample){.n_fields = 1, .fields = {{ids[n], (int)len}}, .label = examples[i].label};
        n++;
    }
    return n;
}

static double dev_accuracy(TaskModel *model, const Tokenizer *tokenizer, const EncodedExample *dev, int n,
                           float *probs) {
    task_predict(model, tokenizer, dev, n, BATCH, probs);
    return task_metrics(&model->head, dev, n, probs).accuracy;
}

static void shuffle_examples(EncodedExample *examples, int n, Rng *rng) {
    for (int i = n - 1; i > 0; i--) {
        int j = rng_below(rng, i + 1);
        EncodedExample t = examples[i];
        examples[i] = examples[j];
        examples[j] = t;
    }
}

// Step 3: epochs of finetune_step over the training examples, shuffled each epoch.
static bool fine_tune(TaskModel *model, const Tokenizer *tokenizer, EncodedExample *train, int n_train, bool quiet) {
    TaskBatch batch;
    task_batch_init(&batch, TASK_CLASSIFY, BATCH, model->gpt->config.n_ctx);
    SgdOptions sgd = {.lr = LEARNING_RATE};
    Rng rng;
    rng_seed(&rng, 4);
    bool l3_adds_up = true;
    gpt_set_training(model->gpt, true);
    for (int epoch = 1; epoch <= EPOCHS; epoch++) {
        shuffle_examples(train, n_train, &rng);
        TaskLosses sum = {0};
        int steps = 0;
        for (int start = 0; start < n_train; start += BATCH, steps++) {
            task_batch_fill(&batch, task_tokens(tokenizer), train + start, BATCH);
            TaskLosses losses = finetune_step(model, &batch, LAMBDA, &sgd, sgd.lr);
            l3_adds_up &= fabsf(losses.l3 - (losses.l2 + LAMBDA * losses.l1)) < 1e-5f;
            sum.l1 += losses.l1, sum.l2 += losses.l2, sum.l3 += losses.l3;
        }
        if (!quiet && (epoch % 3 == 0 || epoch == 1))
            printf("  epoch %2d: L2 %.4f  L1 %.4f  L3 = L2 + %.1f·L1 = %.4f\n", epoch, sum.l2 / steps, sum.l1 / steps,
                   LAMBDA, sum.l3 / steps);
    }
    gpt_set_training(model->gpt, false);
    task_batch_free(&batch);
    return l3_adds_up;
}

#ifdef TRY_NEGATION
// Try this: the development accuracy of the plain sentences and of the negated ones
// (probs holds the dev sentences' P(negative), P(positive), in order).
static void negation_accuracy(const Example *examples, const float *probs) {
    int right[2] = {0, 0}, count[2] = {0, 0};
    for (int i = 0, k = 0; i < N_EXAMPLES; i++)
        if (examples[i].dev) {
            int negated = strstr(examples[i].text, " not ") != NULL;
            count[negated]++;
            right[negated] += (probs[2 * k + 1] > 0.5f) == (examples[i].label == 1);
            k++;
        }
    printf("  plain sentences: %d of %d right; negated ones: %d of %d\n", right[0], count[0], right[1], count[1]);
    claim(count[1] == count[0] && count[1] > 0, "the development set holds as many negated sentences as plain ones");
    claim(right[0] >= 0.9 * count[0], "the plain sentences are still at least 90% right");
}
#endif

typedef struct Task {
    Tokenizer tokenizer;  // with the three task tokens
    EncodedExample train[N_EXAMPLES], dev[N_EXAMPLES];
    int n_train, n_dev;
    int ids[N_EXAMPLES][MAX_TEXT];
} Task;

static void print_dev_set(const Example *examples, const float *probs) {
    for (int i = 0, k = 0; i < N_EXAMPLES; i++)
        if (examples[i].dev) {
            printf("  %-24s label %d  P(positive) = %.3f\n", examples[i].text, examples[i].label, probs[2 * k + 1]);
            k++;
        }
}

int main(void) {
    Example examples[N_EXAMPLES];
    make_examples(examples);
    char alphabet[N_EXAMPLES * MAX_TEXT] = "";
    for (int i = 0; i < N_EXAMPLES; i++) strcat(alphabet, examples[i].text);
    Tokenizer tokenizer;
    tokenizer_init_chars(&tokenizer, alphabet, strlen(alphabet));

    section("1. Pre-training on the sentences, without their labels");
    Gpt *pretrained = pretrain_on(examples, &tokenizer);

    section("2. A task model: three task tokens and a linear head");
    static Task task;
    TaskHeadConfig head = {.task = TASK_CLASSIFY, .n_outputs = 2};
    TaskModel *model = task_model_from_pretrained(pretrained, &tokenizer, &task.tokenizer, head, false, 3);
    config_print(stdout, &model->gpt->config);
    task_head_print(stdout, &model->gpt->config, &model->head);
    TaskTokens special = task_tokens(&task.tokenizer);
    printf("  vocabulary %d -> %d: <s> is %d, $ is %d, <e> is %d\n", tokenizer_vocab_size(&tokenizer),
           tokenizer_vocab_size(&task.tokenizer), special.start, special.delimiter, special.extract);
    task.n_train = encode_split(examples, false, &task.tokenizer, task.train, task.ids);
    task.n_dev = encode_split(examples, true, &task.tokenizer, task.dev, task.ids + task.n_train);
    float probs[N_EXAMPLES * 2];
    double before = dev_accuracy(model, &task.tokenizer, task.dev, task.n_dev, probs);
    printf("  %d training and %d development sentences; dev accuracy before fine-tuning: %.2f\n", task.n_train,
           task.n_dev, before);

#ifdef TRY_PRINT_WY
    // Try this: W_y before and after fine-tuning.
    Tensor *w_y = model->w_y.weight;
    tensor_print(w_y);
    double norm_before = 0;
    for (long i = 0; i < w_y->size; i++) norm_before += (double)w_y->data[i] * w_y->data[i];
#endif

    section("3. Fine-tuning with L3 = L2 + λ·L1");
    claim(fine_tune(model, &task.tokenizer, task.train, task.n_train, false), "at every step L3 is L2 + λ·L1");
    double after = dev_accuracy(model, &task.tokenizer, task.dev, task.n_dev, probs);
#ifdef TRY_PRINT_WY
    tensor_print(w_y);
    double norm_after = 0;
    for (long i = 0; i < w_y->size; i++) norm_after += (double)w_y->data[i] * w_y->data[i];
    printf("  the norm of W_y: %.4f before, %.4f after\n", sqrt(norm_before), sqrt(norm_after));
    claim(norm_after > 3 * norm_before, "fine-tuning grows W_y from N(0, 0.02) noise to weights several times larger");
#endif

    section("4. The development set: verdicts never seen with these subjects");
    print_dev_set(examples, probs);
    printf("  dev accuracy: %.2f before, %.2f after\n", before, after);
#ifdef TRY_NEGATION
    negation_accuracy(examples, probs);
#else
    claim(after >= 0.9, "after fine-tuning the model gets at least 90% of the development set right");
#endif

    section("5. The same fine-tuning without pre-training");
    Tokenizer scratch_tokenizer;  // the same as task.tokenizer
    TaskModel *scratch = task_model_from_pretrained(pretrained, &tokenizer, &scratch_tokenizer, head, true, 3);
    fine_tune(scratch, &task.tokenizer, task.train, task.n_train, true);
    double unpretrained = dev_accuracy(scratch, &task.tokenizer, task.dev, task.n_dev, probs);
    printf("  dev accuracy after %d epochs from random weights: %.2f (with pre-training: %.2f)\n", EPOCHS, unpretrained,
           after);
    claim(unpretrained < after, "the same fine-tuning from random weights gets less far");

    task_model_free(scratch);
    task_model_free(model);
    gpt_free(pretrained);
    tokenizer_free(&scratch_tokenizer);
    tokenizer_free(&task.tokenizer);
    tokenizer_free(&tokenizer);
    tape_free();
    return tutorial_end();
}
