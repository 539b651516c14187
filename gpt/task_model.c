#include "gpt/task_model.h"

#include <stdlib.h>
#include <string.h>

#include "gpt/tasks/task_data.h"

bool task_head_validate(const GptConfig *config, const TaskHeadConfig *head, char *error, size_t error_len) {
    const char *name = task_name(head->task);
    if (head->n_outputs <= 0) {
        snprintf(error, error_len, "the %s head needs at least one output, got %d", name, head->n_outputs);
        return false;
    }
    if (head->n_outputs > TASK_HEAD_MAX_OUTPUTS) {
        snprintf(error, error_len, "the %s head may have at most %d outputs, got %d", name, TASK_HEAD_MAX_OUTPUTS,
                 head->n_outputs);
        return false;
    }
    // choice scores each option with one output; regression predicts one number
    bool one_output = head->task == TASK_CHOICE || head->regression;
    if (head->regression && head->task != TASK_SIMILAR) {
        snprintf(error, error_len, "the %s head cannot be a regression: only similar can", name);
        return false;
    }
    if (one_output && head->n_outputs != 1) {
        snprintf(error, error_len, "the %s head%s has one output, got %d", name,
                 head->regression ? " of a regression" : "", head->n_outputs);
        return false;
    }
    if (config->n_ctx < 3) {
        snprintf(error, error_len, "the %s head needs n_ctx of at least 3 (for <s> $ <e>), got %d", name,
                 config->n_ctx);
        return false;
    }
    return true;
}

bool task_label_count_valid(const TaskHeadConfig *head, int n_names, char *error, size_t error_len) {
    const char *name = task_name(head->task);
    bool ok = true;
    if (head->task == TASK_NONE || head->regression) {
        ok = n_names == 0;
        snprintf(error, error_len, "%s has no class names, got %d", head->regression ? "a regression head" :
                 "a language model", n_names);
    } else if (head->task == TASK_CHOICE) {
        ok = n_names >= 0 && n_names <= TASK_MAX_OPTIONS;
        snprintf(error, error_len, "the choice head names at most %d options, got %d names", TASK_MAX_OPTIONS, n_names);
    } else {
        ok = n_names == 0 || n_names == head->n_outputs;
        snprintf(error, error_len, "the %s head has %d outputs but %d class names", name, head->n_outputs, n_names);
    }
    if (ok && error_len > 0) error[0] = '\0';
    return ok;
}

int head_input_width(const GptConfig *config, const TaskHeadConfig *head) {
    bool concat = head->task == TASK_SIMILAR && head->combine == COMBINE_CONCAT;
    return concat ? 2 * config->d_model : config->d_model;
}

long task_head_parameter_count(const GptConfig *config, const TaskHeadConfig *head) {
    return (long)(head_input_width(config, head) + 1) * head->n_outputs;
}

void task_head_print(FILE *file, const GptConfig *config, const TaskHeadConfig *head) {
    const char *combine = head->combine == COMBINE_ADD ? ", add" : ", concat";
    fprintf(file, "task head: %s, %d outputs%s%s, %ld parameters\n", task_name(head->task), head->n_outputs,
            head->task == TASK_SIMILAR ? combine : "", head->regression ? ", regression" : "",
            task_head_parameter_count(config, head));
}

void task_head_create(Linear *w_y, ParameterTable *params, const GptConfig *config, const TaskHeadConfig *head) {
    linear_create(w_y, params, "head", head_input_width(config, head), head->n_outputs);
}

static void *task_model_alloc(size_t bytes) {
    void *p = malloc(bytes ? bytes : 1);
    if (p == NULL) {
        fprintf(stderr, "task model: out of memory for %zu bytes\n", bytes);
        abort();
    }
    return p;
}

// gpt_create in two halves with W_y in between: the head's parameters join the model's
// table before it is allocated, so the whole task model has one buffer of values and one
// of gradients, and the head comes last in it (and in a checkpoint's table).
TaskModel *task_model_create(const GptConfig *config, const TaskHeadConfig *head) {
    TaskModel *model = task_model_alloc(sizeof *model);
    *model = (TaskModel){.head = *head, .clf_dropout = config->dropout};
    model->gpt = gpt_create_modules(config);
    task_head_create(&model->w_y, &model->gpt->params, config, head);  // last in the table
    parameters_allocate(&model->gpt->params);
    return model;
}

void task_model_set_label_names(TaskModel *model, char *const *names, int n) {
    for (int i = 0; i < model->n_label_names; i++) free(model->label_names[i]);
    free(model->label_names);
    model->label_names = n > 0 ? task_model_alloc(sizeof *model->label_names * (size_t)n) : NULL;
    model->n_label_names = n;
    for (int i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        model->label_names[i] = task_model_alloc(len + 1);
        memcpy(model->label_names[i], names[i], len + 1);
    }
}

void task_model_free(TaskModel *model) {
    if (model == NULL) return;
    task_model_set_label_names(model, NULL, 0);
    gpt_free(model->gpt);
    free(model);
}

// Same name and shape: copied. The token embedding: its first rows (the text tokens)
// are copied; the task tokens' rows keep their fresh N(0, 0.02) values.
static void copy_pretrained_weights(Gpt *model, const Gpt *pretrained) {
    for (int i = 0; i < pretrained->params.count; i++) {
        const Tensor *src = &pretrained->params.items[i]->tensor;
        Tensor *dst = parameter_find(&model->params, src->name);
        if (dst == NULL || tensor_cols(dst) != tensor_cols(src) || dst->size < src->size) continue;
        if (shape_equal(dst->shape, src->shape) || strcmp(src->name, "wte.weight") == 0)
            memcpy(dst->data, src->data, sizeof(float) * (size_t)src->size);
    }
}

TaskModel *task_model_from_pretrained(const Gpt *pretrained, const Tokenizer *tokenizer, Tokenizer *task_tokenizer,
                                      TaskHeadConfig head, bool random_init, uint64_t seed) {
    tokenizer_copy(task_tokenizer, tokenizer);
    task_tokenizer->n_task_tokens = N_TASK_TOKENS;
    GptConfig config = pretrained->config;
    config.vocab_size = tokenizer_vocab_size(task_tokenizer);
    TaskModel *model = task_model_create(&config, &head);
    gpt_init_weights(model->gpt, seed);  // the whole table, W_y last
    if (!random_init) copy_pretrained_weights(model->gpt, pretrained);
    return model;
}

int output_width(const TaskHeadConfig *head, const EncodedExample *example) {
    if (head->regression) return 1;
    if (head->task == TASK_CHOICE) return example->n_fields - 1;
    return head->n_outputs;
}
