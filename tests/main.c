// The unit-test runner: every suite of gpt1.c in one Check run, ending with Check's
// summary line. Run a single test under gdb with: CK_FORK=no CK_RUN_CASE=<case> gdb build/tests/run_tests
#include <stdlib.h>

#include "autograd/tape.h"
#include "tests/helpers.h"

int main(void) {
    SRunner *runner = srunner_create(tensor_suite());
    srunner_add_suite(runner, kernels_suite());
    srunner_add_suite(runner, ops_suite());
    srunner_add_suite(runner, autograd_suite());
    srunner_add_suite(runner, nn_suite());
    srunner_add_suite(runner, gpt_suite());
    srunner_add_suite(runner, training_suite());
    srunner_add_suite(runner, kv_cache_suite());
    srunner_add_suite(runner, finetune_suite());
    srunner_add_suite(runner, task_checkpoint_suite());
    srunner_add_suite(runner, cli_suite());
    srunner_add_suite(runner, task_data_suite());
    srunner_add_suite(runner, bpe_suite());
    srunner_add_suite(runner, conformance_suite());
    srunner_add_suite(runner, pictures_suite());
    srunner_add_suite(runner, gpt1_tokenizer_suite());
    srunner_add_suite(runner, formats_suite());
    srunner_add_suite(runner, import_suite());
    srunner_add_suite(runner, zeroshot_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    tape_free();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
