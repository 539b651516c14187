#include "tutorials/labs/variant.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "gpt/sgd.h"

VariantModel *variant_create(Variant variant, const GptConfig *config, uint64_t seed) {
    VariantModel *m = calloc(1, sizeof *m);
    m->variant = variant;
    m->gpt = gpt_create(config);
    gpt_init_weights(m->gpt, seed);
    if (variant.pre_ln) layer_norm_create(&m->ln_f, &m->extras, "ln_f", config->d_model);
    if (variant.untied)
        m->w_out = parameter_add(&m->extras, "lm_head.weight", shape2(config->vocab_size, config->d_model), INIT_NORMAL);
    parameters_allocate(&m->extras);
    Rng rng;
    rng_seed(&rng, seed + 1);
    parameters_init(&m->extras, &rng);
    return m;
}

void variant_free(VariantModel *m) {
    gpt_free(m->gpt);
    parameters_free(&m->extras);
    free(m);
}

long variant_parameter_count(const VariantModel *m) { return m->gpt->params.total + m->extras.total; }

// The 0/1 lower triangle of a [.., t, t] score tensor, repeated over its leading
// dimensions: b_ij = 1 where j <= i (the position may be read), 0 after.
static Tensor *lower_triangle(Shape shape) {
    Tensor *b = tensor_zeros(step_arena(), "mask", shape);
    int t = shape.dims[shape.ndim - 1];
    for (long r = 0; r < tensor_rows(b); r++)
        for (int j = 0; j <= (int)(r % t); j++) b->data[r * t + j] = 1.0f;
    return b;
}

// Eq: X_output = X ⊗ X_Mask, the specification's mask: the scores times a 0/1 matrix,
//   1 where j <= i;  scores [.., t, t] -> [.., t, t]
// It does not hide the future: a masked score becomes 0, not −∞, and exp(0) = 1, so
// after the softmax every later position still gets a weight and its value is mixed in.
Tensor *multiplied_mask(Tensor *scores) { return mul(scores, lower_triangle(scores->shape)); }

// The original release's mask_attn_weights: w·b − 1e9·(1 − b). The product zeroes the
// later scores whatever their size, and −1e9 sends them so far below the row's maximum
// that exp() gives exactly 0 in float32: the same weights as −∞. A finite number avoids
// −∞'s one hazard, a row masked entirely (−∞ − (−∞) is NaN), which a causal mask never
// makes: its diagonal is always visible, so gpt1.c uses the exact −∞.
Tensor *minus_1e9_mask(Tensor *scores) {
    Tensor *b = lower_triangle(scores->shape);
    Tensor *penalty = tensor_zeros(step_arena(), "penalty", scores->shape);
    for (long i = 0; i < b->size; i++) penalty->data[i] = -1e9f * (1.0f - b->data[i]);
    return add(mul(scores, b), penalty);
}

static Tensor *apply_mask(MaskKind kind, Tensor *scores) {
    switch (kind) {
    case MASK_NONE: return scores;
    case MASK_MULTIPLIED: return multiplied_mask(scores);
    case MASK_MINUS_1E9: return minus_1e9_mask(scores);
    case MASK_MINUS_INFINITY: break;
    }
    return causal_mask(scores);
}

// masked_self_attention of nn/attention.c, with the scale and the mask as switches.
Tensor *variant_attention(const Variant *v, MaskedSelfAttention *attn, Tensor *x) {
    scope_push("attn");
    int d = tensor_cols(x);
    Tensor *qkv = linear(&attn->c_attn, x);
    Tensor *q = split_heads(columns(qkv, 0, d), attn->n_heads);
    Tensor *k = split_heads(columns(qkv, d, d), attn->n_heads);
    Tensor *values = split_heads(columns(qkv, 2 * d, d), attn->n_heads);
    Tensor *scores = matmul_transposed(q, k);
    if (!v->no_scale) scores = scale(scores, 1.0f / sqrtf((float)tensor_cols(q)));
    scores = apply_mask(v->mask, scores);
    attn->last_weights = softmax(scores);
    Tensor *out = linear(&attn->c_proj, merge_heads(matmul(attn->last_weights, values)));
    scope_pop();
    return out;
}

// Post-LN (GPT-1): X = LN(X + sublayer(X)). Pre-LN (GPT-2): X = X + sublayer(LN(X)).
Tensor *variant_block(const Variant *v, DecoderBlock *block, Tensor *x) {
    if (v->pre_ln) {
        x = add(x, variant_attention(v, &block->attn, layer_norm(&block->ln_1, x)));
        return add(x, feed_forward(&block->mlp, layer_norm(&block->ln_2, x)));
    }
    x = layer_norm(&block->ln_1, add(x, variant_attention(v, &block->attn, x)));
    return layer_norm(&block->ln_2, add(x, feed_forward(&block->mlp, x)));
}

Tensor *variant_hidden_states(VariantModel *m, const int *tokens, int batch, int seq) {
    scope_push("embed");
    Tensor *h = embed(&m->gpt->embedding, tokens, batch, seq);
    scope_pop();
    for (int l = 0; l < m->gpt->config.n_layers; l++) {
        char scope[32];
        snprintf(scope, sizeof scope, "blocks.%d", l);
        scope_push(scope);
        h = variant_block(&m->variant, &m->gpt->blocks[l], h);
        scope_pop();
    }
    return m->variant.pre_ln ? layer_norm(&m->ln_f, h) : h;
}

Tensor *variant_logits(VariantModel *m, const int *tokens, int batch, int seq) {
    Tensor *h = variant_hidden_states(m, tokens, batch, seq);
    return matmul_transposed(h, m->variant.untied ? m->w_out : m->gpt->embedding.tokens);
}

float variant_train_step(VariantModel *m, const Batch *batch, float lr) {
    Tensor *loss = lm_loss(variant_logits(m, batch->inputs, batch->batch, batch->seq), batch->targets);
    backward(loss);
    float value = loss->data[0];
    sgd_step(&m->gpt->params, lr);
    sgd_step(&m->extras, lr);
    parameters_zero_grad(&m->gpt->params);
    parameters_zero_grad(&m->extras);
    tape_reset();
    return value;
}

float variant_loss(VariantModel *m, const Batch *batch) {
    bool previous = set_grad_enabled(false);
    float loss = lm_loss(variant_logits(m, batch->inputs, batch->batch, batch->seq), batch->targets)->data[0];
    set_grad_enabled(previous);
    tape_reset();
    return loss;
}

const char LAB_TEXT[] =
    "A decoder block reads a sequence of vectors and returns a sequence of the same shape. "
    "First every position looks back at the positions before it and takes a weighted mix of "
    "what it finds there; then every position passes its own vector through a small network "
    "of two layers. Around each of the two steps runs a residual connection, and after each "
    "sum comes a layer normalisation. Stack a dozen such blocks on top of an embedding, put "
    "the embedding matrix once more at the top to score every token of the vocabulary, and "
    "you have the whole model.\n"
    "Training it is simple to describe. Cut a window out of the text, ask the model to predict "
    "each next token, measure how surprised it was, and move every weight a little in the "
    "direction that would have made it less surprised. Then take another window. After enough "
    "windows the model has learned which letters make words, which words follow which, and a "
    "little of what the text is about.\n"
    "Nothing in this recipe is hidden. Every step is a short function that names the equation "
    "it computes, every gradient is checked against a finite difference, and every number can "
    "be printed from a debugger while the model runs.\n";

void lab_text_tokens(Tokenizer *tokenizer, TokenSequence *data) {
    char error[128];
    tokenizer_init_chars(tokenizer, LAB_TEXT, strlen(LAB_TEXT));
    data->ids = tokenizer_encode(tokenizer, LAB_TEXT, strlen(LAB_TEXT), &data->n, error, sizeof error);
}
