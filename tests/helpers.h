// Small helpers shared by the test files.
#ifndef GPT1_TEST_HELPERS_H
#define GPT1_TEST_HELPERS_H

#include <check.h>

#include "autograd/gradcheck.h"
#include "nn/parameters.h"
#include "tensor/tensor.h"

// A step-arena tensor with N(0, std²) values that requires a gradient.
Tensor *random_input(const char *name, Shape shape, Rng *rng, float std);
// Fails the test with the gradcheck table when any input's gradient is wrong.
void assert_gradcheck(const char *title, GradcheckFunction f, void *context, Tensor **inputs, int n_inputs);
void assert_gradcheck_with(const char *title, GradcheckFunction f, void *context, Tensor **inputs, int n_inputs,
                           const GradcheckOptions *options);
void assert_close(const float *actual, const float *expected, long n, float tolerance, const char *what);
// Every parameter of the table at its init (0, or 1 for a LayerNorm gain) + N(0, std²),
// drawn in table order from rng_seed(seed): weights far from the tiny initial ones.
void spread_parameters(ParameterTable *params, uint64_t seed, float std);

// The gpt program of this build (GPT_PROGRAM), run as a user would: `gpt <args>` with
// stdout and stderr captured in gpt_output. Returns the exit status.
extern char gpt_output[8192];
int run_gpt(const char *args);
// A path in /tmp that belongs to this process ("/tmp/gpt1c_<pid>_<name>"): the tests of
// several builds may run at the same time. The string stays valid for the next 31 calls.
const char *temp_file(const char *name);
// Writes text to temp_file(name) and returns that path.
const char *write_temp_file(const char *name, const char *text);
// Bad input: exit status 2 and `message` somewhere in the output.
void assert_usage_error(const char *args, const char *message);

Suite *tensor_suite(void);
Suite *kernels_suite(void);
Suite *ops_suite(void);
Suite *autograd_suite(void);
Suite *nn_suite(void);
Suite *gpt_suite(void);
Suite *training_suite(void);
Suite *kv_cache_suite(void);
Suite *cli_suite(void);
Suite *finetune_suite(void);
Suite *task_checkpoint_suite(void);
Suite *task_data_suite(void);
Suite *bpe_suite(void);
Suite *conformance_suite(void);
Suite *pictures_suite(void);
Suite *graph_picture_suite(void);
Suite *attention_heads_suite(void);
Suite *gpt1_tokenizer_suite(void);
Suite *formats_suite(void);
Suite *import_suite(void);
Suite *zeroshot_suite(void);
Suite *hostile_files_suite(void);
Suite *hostile_cli_suite(void);
Suite *parallel_suite(void);

#endif
