// The unit-test runner: every suite of gpt1.c in one Check run, ending with Check's
// summary line. Run a single test under gdb with: CK_FORK=no CK_RUN_CASE=<case> gdb build/tests/run_tests
// The kernels run on GPT_THREADS threads (default: the machine's online cores), as the
// gpt program's do: `GPT_THREADS=1 make check` tests the one-thread code.
#include <stdio.h>
#include <stdlib.h>

#include "autograd/tape.h"
#include "tensor/parallel.h"
#include "tests/helpers.h"

int main(void) {
    char error[160];
    int threads = parallel_default_threads(error, sizeof error);
    if (threads == 0) {
        fprintf(stderr, "run_tests: %s\n", error);
        return EXIT_FAILURE;
    }
    parallel_set_threads(threads);
    printf("run_tests: the kernels run on %d thread%s (GPT_THREADS)\n", threads, threads == 1 ? "" : "s");
    fflush(stdout);
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
    srunner_add_suite(runner, graph_picture_suite());
    srunner_add_suite(runner, attention_heads_suite());
    srunner_add_suite(runner, gpt1_tokenizer_suite());
    srunner_add_suite(runner, formats_suite());
    srunner_add_suite(runner, import_suite());
    srunner_add_suite(runner, zeroshot_suite());
    srunner_add_suite(runner, hostile_files_suite());
    srunner_add_suite(runner, hostile_cli_suite());
    srunner_add_suite(runner, parallel_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    tape_free();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
