#include "gpt/sgd.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tensor/kernels.h"

// Eq: θ ← θ − η·∇θ L
// θ[i] -= η·grad[i] over the one parameter buffer (a kernel of tensor/, so that the
// threads share it out).
void sgd_step(ParameterTable *params, float lr) { subtract_scaled(params->data, params->grad, lr, params->total); }

static void allocate_moments(ParameterTable *params) {
    params->moment1 = calloc((size_t)params->total, sizeof(float));
    params->moment2 = calloc((size_t)params->total, sizeof(float));
    if (params->moment1 == NULL || params->moment2 == NULL) {
        fprintf(stderr, "adam: out of memory for the moments of %ld parameters (%.1f MB)\n", params->total,
                2.0 * 4.0 * (double)params->total / 1e6);
        abort();
    }
    params->optimizer_steps = 0;
}

// Eq: θ ← θ − η·m̂/(√v̂ + ε)
// m and v are running means of the gradient and of its square; m̂ = m/(1 − β1^t) and
// v̂ = v/(1 − β2^t) correct their start at zero. Each weight's step is about η whatever
// its gradient's scale, which is why Adam trains with rates a thousand times smaller.
void adam_step(ParameterTable *params, float lr) {
    if (params->moment1 == NULL) allocate_moments(params);
    long t = ++params->optimizer_steps;
    AdamCoefficients c = {.lr = lr, .beta1 = ADAM_BETA1, .beta2 = ADAM_BETA2, .epsilon = ADAM_EPSILON,
                          .correction1 = (float)(1.0 - pow(ADAM_BETA1, (double)t)),
                          .correction2 = (float)(1.0 - pow(ADAM_BETA2, (double)t))};
    adam_update(params->data, params->moment1, params->moment2, params->grad, c, params->total);
}

void sgd_update(ParameterTable *params, const SgdOptions *o, float lr) {
    if (o->clip_norm > 0.0f) clip_gradients(params, o->clip_norm);
    if (o->optimizer == OPTIMIZER_ADAM)
        adam_step(params, lr);
    else
        sgd_step(params, lr);
    parameters_zero_grad(params);
}

long warmup_steps_of(const SgdOptions *o, long total_steps) {
    if (o->warmup_steps > 0) return o->warmup_steps;
    if (!(o->warmup_fraction > 0.0f)) return 0;
    long steps = lround((double)o->warmup_fraction * (double)total_steps);  // 0.002 of 1000 is 2, not 3
    return steps > 0 ? steps : 1;
}

float learning_rate_at(const SgdOptions *o, long step, long total_steps) {
    long warmup = warmup_steps_of(o, total_steps);
    if (warmup > 0 && step < warmup) return o->lr * (float)(step + 1) / (float)warmup;
    long span = total_steps - warmup;
    double progress = span > 0 ? (double)(step - warmup) / (double)span : 0.0;
    switch (o->decay) {
    case LR_COSINE: return (float)(o->lr * 0.5 * (1.0 + cos(3.14159265358979323846 * progress)));
    case LR_LINEAR: return (float)(o->lr * (1.0 - progress));
    case LR_CONSTANT: break;
    }
    return o->lr;
}

double gradient_norm(const ParameterTable *params) {
    double total = sum_of_squares(params->grad, params->total);  // Σ grad[i]², shared out by blocks
    return sqrt(total);
}

void clip_gradients(ParameterTable *params, float max_norm) {
    if (!(max_norm > 0.0f)) return;  // 0 means no clipping, as SgdOptions.clip_norm
    double norm = gradient_norm(params);
    if (norm <= max_norm || norm == 0.0) return;
    float factor = (float)(max_norm / norm);
    scale_forward(params->grad, params->grad, factor, params->total);  // grad[i] *= factor
}

static const char *const DECAY_NAMES[] = {"constant", "cosine", "linear"};

const char *lr_decay_name(LrDecay decay) { return DECAY_NAMES[decay]; }

bool lr_decay_from_name(const char *name, LrDecay *decay) {
    for (int i = 0; i < (int)(sizeof DECAY_NAMES / sizeof DECAY_NAMES[0]); i++)
        if (strcmp(name, DECAY_NAMES[i]) == 0) {
            *decay = (LrDecay)i;
            return true;
        }
    return false;
}

bool optimizer_from_name(const char *name, Optimizer *optimizer) {
    if (strcmp(name, "sgd") != 0 && strcmp(name, "adam") != 0) return false;
    *optimizer = strcmp(name, "adam") == 0 ? OPTIMIZER_ADAM : OPTIMIZER_SGD;
    return true;
}

const char *sgd_describe(const SgdOptions *o, char *buf, size_t len) {
    const char *name = o->optimizer == OPTIMIZER_ADAM ? "Adam" : "SGD";
    size_t at = (size_t)snprintf(buf, len, "%s lr %g", name, (double)o->lr);
    if (o->clip_norm > 0.0f && at < len)
        at += (size_t)snprintf(buf + at, len - at, ", clipped at norm %g", (double)o->clip_norm);
    if (o->warmup_steps > 0 && at < len)
        at += (size_t)snprintf(buf + at, len - at, ", warm-up %d steps", o->warmup_steps);
    else if (o->warmup_fraction > 0.0f && at < len)
        at += (size_t)snprintf(buf + at, len - at, ", warm-up %g%% of the steps", 100.0 * o->warmup_fraction);
    if (o->decay != LR_CONSTANT && at < len) snprintf(buf + at, len - at, ", %s decay", lr_decay_name(o->decay));
    return buf;
}

void describe_divergence(char *error, size_t error_len, long step, float loss, float lr) {
    snprintf(error, error_len, "step %ld: the training loss became %g: the weights diverged. Try a smaller learning "
             "rate than --lr %g; the last good checkpoint is left in place", step, (double)loss, (double)lr);
}
