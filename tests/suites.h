/* One Check suite per module; check_main.c runs them all. */
#ifndef HTSEP_TEST_SUITES_H
#define HTSEP_TEST_SUITES_H

#include <check.h>

Suite *suite_status(void);
Suite *suite_sampler(void);
Suite *suite_network(void);
Suite *suite_trainer(void);
Suite *suite_data(void);
Suite *suite_checkpoint(void);
Suite *suite_build(void);

#endif
