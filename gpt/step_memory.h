// How much memory a model and one step of it take, estimated before anything is
// allocated: a size too large for this program is refused in one line before any work,
// rather than stopping a run half-way (or the machine) when an allocation fails.
//
// A step's tensors, gradients and saved values live in the step arena (tensor/arena.h),
// whose limit is 16 GiB. The estimate is the arena's peak, measured over many configs
// and written as a sum of the sizes that make it up (N = batch·seq tokens, L layers, d
// the width, f the FFN width, h heads, T = seq, V the vocabulary), in floats:
//
//   training:   L·(44·N·d + 6·N·f + 8·h·batch·T²) + 3·N·V + 6·N·d + 6·N·L
//               dropout adds L·(6·N·d + 3·h·batch·T²) + 3·N·d
//   inference:  L·(22·N·d + 3·N·f + 4·h·batch·T²) + 2·N·V + 3·N·d + 6·N·L   (with the loss)
//
// plus 5% (tests/test_gpt.c checks that it stays within 0% to 25% above the real peak).
#ifndef GPT1_STEP_MEMORY_H
#define GPT1_STEP_MEMORY_H

#include <stdbool.h>
#include <stddef.h>

#include "gpt/config.h"

// The estimated peak of the step arena, in bytes, for `batch` sequences of `seq`
// tokens: a training step (forward, backward) or a forward pass with gradients off.
// Computed in double: any sizes give a finite number, never an overflow.
double step_memory_bytes(const GptConfig *config, double batch, double seq, bool training);
// Whether such a step fits the step arena; false with one line saying how much it
// would need and what to make smaller.
bool step_memory_fits(const GptConfig *config, double batch, double seq, bool training, char *error,
                      size_t error_len);

#endif
