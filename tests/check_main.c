/* Runs every suite. Environment: HTSEP_TOP (source tree, for the build
 * checks), HTSEP_FASHION_DIR (Fashion-MNIST IDX files, for the real
 * training check). Exits non-zero on any failure. */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
    SRunner *runner = srunner_create(suite_status());

    srunner_add_suite(runner, suite_sampler());
    srunner_add_suite(runner, suite_network());
    srunner_add_suite(runner, suite_trainer());
    srunner_add_suite(runner, suite_data());
    srunner_add_suite(runner, suite_checkpoint());
    srunner_add_suite(runner, suite_build());
    srunner_run_all(runner, CK_NORMAL);

    int failed = srunner_ntests_failed(runner);

    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
