// Small helpers shared by the test files.
#ifndef GPT1_TEST_HELPERS_H
#define GPT1_TEST_HELPERS_H

#include <check.h>

#include "autograd/gradcheck.h"
#include "tensor/tensor.h"

// A step-arena tensor with N(0, std²) values that requires a gradient.
Tensor *random_input(const char *name, Shape shape, Rng *rng, float std);
// Fails the test with the gradcheck table when any input's gradient is wrong.
void assert_gradcheck(const char *title, GradcheckFunction f, void *context, Tensor **inputs, int n_inputs);
void assert_gradcheck_with(const char *title, GradcheckFunction f, void *context, Tensor **inputs, int n_inputs,
                           const GradcheckOptions *options);
void assert_close(const float *actual, const float *expected, long n, float tolerance, const char *what);

Suite *tensor_suite(void);
Suite *kernels_suite(void);
Suite *ops_suite(void);
Suite *autograd_suite(void);
Suite *nn_suite(void);
Suite *gpt_suite(void);
Suite *cli_suite(void);
Suite *finetune_suite(void);
Suite *task_data_suite(void);
Suite *bpe_suite(void);
Suite *conformance_suite(void);
Suite *pictures_suite(void);

#endif
