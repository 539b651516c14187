// GPT-1's forward pass rebuilt from the library's modules and ops, with four switches
// that break it on purpose. Every switch off gives exactly gpt_logits() of gpt/model.c;
// each lab turns one on and measures what goes wrong (docs/labs.md).
#ifndef GPT1_LABS_VARIANT_H
#define GPT1_LABS_VARIANT_H

#include <stdbool.h>

#include "gpt/model.h"
#include "gpt/text_data.h"
#include "gpt/tokenizer/tokenizer.h"

// How the scores of the positions after i are kept from position i (lab 1).
typedef enum {
    MASK_MINUS_INFINITY = 0,  // gpt1.c: −∞, so their weights are exactly 0
    MASK_NONE,                // none: attention may read every position, the future included
    MASK_MULTIPLIED,          // the specification's X ⊗ X_Mask: scores times 0, and exp(0) = 1 leaks
    MASK_MINUS_1E9,           // the original release: w·b − 1e9·(1 − b)
} MaskKind;

typedef struct Variant {
    MaskKind mask;  // lab 1: MASK_NONE, and the two other ways of writing the mask
    bool no_scale;  // lab 2: scores are Q·Kᵀ, without the 1/√d_k
    bool pre_ln;    // lab 3: x + sublayer(LN(x)) in every block and a final LN (GPT-2)
    bool untied;    // lab 4: logits = h_n·W_outᵀ with a separate W_out, not Weᵀ
} Variant;

typedef struct VariantModel {
    Variant variant;
    Gpt *gpt;               // embedding and blocks, as in the library
    ParameterTable extras;  // what the variant adds: "ln_f.*" (pre-LN), "lm_head.weight" (untied)
    LayerNorm ln_f;
    Tensor *w_out;          // [vocab, d] when untied
} VariantModel;

VariantModel *variant_create(Variant variant, const GptConfig *config, uint64_t seed);
void variant_free(VariantModel *m);
long variant_parameter_count(const VariantModel *m);

Tensor *multiplied_mask(Tensor *scores);
Tensor *minus_1e9_mask(Tensor *scores);
Tensor *variant_attention(const Variant *v, MaskedSelfAttention *attn, Tensor *x);
Tensor *variant_block(const Variant *v, DecoderBlock *block, Tensor *x);
Tensor *variant_hidden_states(VariantModel *m, const int *tokens, int batch, int seq);
Tensor *variant_logits(VariantModel *m, const int *tokens, int batch, int seq);
// One SGD step on L1 over the model's and the extras' parameters; returns the loss.
float variant_train_step(VariantModel *m, const Batch *batch, float lr);
// L1 on the batch (targets CROSS_ENTROPY_IGNORE left out), with nothing recorded.
float variant_loss(VariantModel *m, const Batch *batch);

// The labs' training text: a few paragraphs of this project's own prose, as characters.
extern const char LAB_TEXT[];
void lab_text_tokens(Tokenizer *tokenizer, TokenSequence *data);  // free data->ids

#endif
