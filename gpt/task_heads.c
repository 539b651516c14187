#include "gpt/task_heads.h"

#include <string.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "nn/lm_head.h"
#include "tensor/kernels.h"

// Eq: h_l^m: the final block's output at each sequence's extract token <e>;  h [N, T, d] -> [N, d]
Tensor *extract_states(Tensor *h, const int *extract_rows, int n_sequences) {
    return gather_rows(h, extract_rows, shape1(n_sequences));
}

// Eq: P(y | x1..xm) = softmax(h_l^m·W_y); returns the logits h_l^m·W_y + b;  [M, in] -> [M, classes]
// (the bias is an addition to the paper's W_y, as in the original code's classifier; in
// training h_l^m first goes through the classifier's dropout, p = model->clf_dropout)
Tensor *classifier_logits(TaskModel *model, Tensor *h_extract) {
    Dropout clf = {.p = model->clf_dropout, .rng = model->gpt->training ? &model->gpt->dropout_rng : NULL};
    return linear(&model->w_y, apply_dropout(&clf, h_extract));
}

// Eq: Similarity: rows 2i and 2i+1 hold the extract states of <s> A $ B <e> and <s> B $ A <e>;
// combined as [h_AB, h_BA] (concat, this project's default) or h_AB + h_BA (add, the paper);  [2M, d] -> [M, 2d] or [M, d]
Tensor *combine_similarity(Tensor *h_extract, SimilarityCombine combine) {
    int m = h_extract->shape.dims[0] / 2;
    int *ab = arena_alloc(step_arena(), sizeof(int) * (size_t)m), *ba = arena_alloc(step_arena(), sizeof(int) * (size_t)m);
    for (int i = 0; i < m; i++) ab[i] = 2 * i, ba[i] = 2 * i + 1;
    Tensor *h_ab = gather_rows(h_extract, ab, shape1(m)), *h_ba = gather_rows(h_extract, ba, shape1(m));
    return combine == COMBINE_ADD ? add(h_ab, h_ba) : concat(h_ab, h_ba);
}

// Eq: P(k | context, options) = softmax_k(h_l^{m_k}·W_y);  [M·K, d] -> [M, K] logits
// (one scalar per option from the linear head; the softmax over each example's options is in the loss)
Tensor *choice_logits(TaskModel *model, Tensor *h_extract, int n_options) {
    Tensor *scores = classifier_logits(model, h_extract);  // [M·K, 1]
    return reshape(scores, shape2(h_extract->shape.dims[0] / n_options, n_options));
}

// Eq: L2(C) = Σ_(x,y) log P(y | x1..xm), as the mean negative over the batch (squared
// error instead for a graded similarity score)
Tensor *task_loss(const TaskHeadConfig *head, Tensor *logits, const TaskBatch *batch) {
    if (head->regression) return squared_error(logits, batch->targets);
    return cross_entropy(logits, batch->labels);
}

// Eq: L3(C) = L2(C) + λ·L1(C)
Tensor *combined_loss(Tensor *l2, Tensor *l1, float lambda) {
    return l1 == NULL || lambda == 0.0f ? l2 : add(l2, scale(l1, lambda));
}

static Tensor *head_logits(TaskModel *model, Tensor *h_extract, const TaskBatch *batch) {
    switch (model->head.task) {
    case TASK_SIMILAR: return classifier_logits(model, combine_similarity(h_extract, model->head.combine));
    case TASK_CHOICE: return choice_logits(model, h_extract, batch->views);
    default: return classifier_logits(model, h_extract);
    }
}

TaskOutput task_forward(TaskModel *model, const TaskBatch *batch, float lambda) {
    TaskOutput out = {0};
    Tensor *h = gpt_hidden_states(model->gpt, batch->tokens, batch->n_sequences, batch->seq);  // [N, T, d]
    scope_push("head");
    out.logits = head_logits(model, extract_states(h, batch->extract_rows, batch->n_sequences), batch);
    out.l2 = task_loss(&model->head, out.logits, batch);
    scope_pop();
    if (lambda != 0.0f) {  // L1 on the task inputs themselves: real tokens only, never padding
        scope_push("lm_head");
        out.l1 = lm_loss(lm_head_logits(&model->gpt->embedding, h), batch->lm_targets);
        scope_pop();
    }
    out.l3 = combined_loss(out.l2, out.l1, lambda);
    return out;
}

void task_predict(TaskModel *model, const Tokenizer *tokenizer, const EncodedExample *examples, int n, int batch,
                  float *outputs) {
    if (n == 0) return;
    if (batch > n) batch = n;  // the buffers hold the examples there are
    int width = output_width(&model->head, &examples[0]);
    TaskBatch b;
    task_batch_init(&b, model->head.task, batch * task_views(model->head.task, &examples[0]), model->gpt->config.n_ctx);
    EvaluationMode saved = gpt_begin_evaluation(model->gpt);
    for (int start = 0; start < n; start += batch) {
        int count = n - start < batch ? n - start : batch;
        task_batch_fill(&b, task_tokens(tokenizer), examples + start, count);
        Tensor *logits = task_forward(model, &b, 0.0f).logits;
        float *out = outputs + (long)start * width;
        if (model->head.regression)
            memcpy(out, logits->data, sizeof(float) * (size_t)count);
        else
            softmax_forward(out, logits->data, count, width);
        tape_reset();
    }
    gpt_end_evaluation(model->gpt, saved);
    task_batch_free(&b);
}
