// The task model of section 3.2: the pre-trained language model with one linear output
// layer W_y on top, which reads the final hidden state at the extract token <e>:
//
//   P(y | x1..xm) = softmax(h_l^m·W_y)
//
// The language model (gpt/model.h) knows nothing of tasks: the head's config, W_y and the
// names of the classes live here. W_y's parameters are added to the language model's own
// parameter table, after its parameters, so that SGD, zeroing the gradients, the gradient
// checks and the checkpoints all walk one table for the whole task model. What the head
// computes (the extract states, L2, L3) is in gpt/task_heads.h.
#ifndef GPT1_TASK_MODEL_H
#define GPT1_TASK_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "gpt/model.h"
#include "gpt/tasks/encoded_example.h"
#include "gpt/tasks/task_kind.h"
#include "gpt/tokenizer/tokenizer.h"

// Similarity reads two orderings of the pair: their extract vectors are concatenated
// (this project's default) or added element-wise (the paper).
typedef enum { COMBINE_CONCAT = 0, COMBINE_ADD = 1 } SimilarityCombine;

typedef struct TaskHeadConfig {
    TaskKind task;              // classify, entail, similar or choice (a checkpoint stores TASK_NONE: no head)
    int n_outputs;              // classes; 1 for multiple choice (a score per option) and for regression
    SimilarityCombine combine;  // TASK_SIMILAR only
    bool regression;            // TASK_SIMILAR with a graded score: squared error instead of softmax
} TaskHeadConfig;

typedef struct TaskModel {
    Gpt *gpt;              // the language model underneath; its parameter table holds W_y too
    TaskHeadConfig head;
    Linear w_y;            // W_y and its bias: "head.weight" [in, n_outputs] and "head.bias" [n_outputs]
    // p of the dropout on h_l^m before W_y while training (the paper: 0.1). A training
    // option, not stored in checkpoints: task_model_create sets the model's dropout,
    // `gpt finetune --clf-dropout` another.
    float clf_dropout;
    char **label_names;    // what each class means ("ENTAILMENT", ...), or NULL
    int n_label_names;
} TaskModel;

enum {
    TASK_HEAD_MAX_OUTPUTS = 65536,  // classes of a head
    TASK_LABEL_MAX_BYTES = 4096,    // bytes of a class name
};

// Checks the head against the model under it: 1 to TASK_HEAD_MAX_OUTPUTS outputs, exactly
// one for multiple choice and for a regression (which only similar may be), n_ctx of at
// least 3; on a problem writes one line naming the field to error.
bool task_head_validate(const GptConfig *config, const TaskHeadConfig *head, char *error, size_t error_len);
// Whether a head may come with n_names class names: none for a language model or a
// regression, at most TASK_MAX_OPTIONS for multiple choice (the option numbers), and
// none or one per output for a classifier. False with a message otherwise.
bool task_label_count_valid(const TaskHeadConfig *head, int n_names, char *error, size_t error_len);
int head_input_width(const GptConfig *config, const TaskHeadConfig *head);  // d_model, or 2·d_model for concat
long task_head_parameter_count(const GptConfig *config, const TaskHeadConfig *head);  // W_y and its bias
// "task head: entail, 3 outputs, 27 parameters"
void task_head_print(FILE *file, const GptConfig *config, const TaskHeadConfig *head);
// Adds W_y's parameters to a table (names and shapes; the values come with parameters_allocate).
void task_head_create(Linear *w_y, ParameterTable *params, const GptConfig *config, const TaskHeadConfig *head);

// Builds the language model's modules, adds W_y to their table, then allocates the
// table: all zero until gpt_init_weights(model->gpt, seed) or a checkpoint fills it.
// Both configs must have passed config_validate and task_head_validate.
TaskModel *task_model_create(const GptConfig *config, const TaskHeadConfig *head);
void task_model_free(TaskModel *model);  // the language model too
void task_model_set_label_names(TaskModel *model, char *const *names, int n);  // copies them

// The pre-trained model's config and weights with three task tokens appended to the
// vocabulary, and a task head. New rows (task tokens) and the head are N(0, 0.02);
// the tied output layer covers the task tokens too. With random_init the pre-trained
// weights are not copied: the paper's "without pre-training" ablation.
TaskModel *task_model_from_pretrained(const Gpt *pretrained, const Tokenizer *tokenizer, Tokenizer *task_tokenizer,
                                      TaskHeadConfig head, bool random_init, uint64_t seed);

// The model's outputs per example: classes, options (multiple choice), or 1 (regression).
int output_width(const TaskHeadConfig *head, const EncodedExample *example);

#endif
