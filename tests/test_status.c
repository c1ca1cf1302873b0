/* Status messages, names and the version query. */
#include <stdio.h>
#include <string.h>

#include "htsep.h"
#include "suites.h"

static const int all_codes[] = {
    HTSEP_OK, HTSEP_E_NULL, HTSEP_E_SIZE, HTSEP_E_VALUE, HTSEP_E_ENUM,
    HTSEP_E_MISMATCH, HTSEP_E_NOMEM, HTSEP_E_INTERNAL, HTSEP_E_OPEN,
    HTSEP_E_READ, HTSEP_E_WRITE, HTSEP_E_GZIP, HTSEP_E_IDX_MAGIC,
    HTSEP_E_IDX_TRUNCATED, HTSEP_E_IDX_DIMS, HTSEP_E_IDX_COUNT,
    HTSEP_E_IDX_LABEL, HTSEP_E_IDX_TRAILING, HTSEP_E_CKPT_MAGIC,
    HTSEP_E_CKPT_VERSION, HTSEP_E_CKPT_TRUNCATED, HTSEP_E_CKPT_CHECKSUM,
    HTSEP_E_CKPT_INVALID, HTSEP_E_DIVERGED, HTSEP_E_STOPPED};

START_TEST(status_every_code_has_its_own_message)
{
    size_t n = sizeof all_codes / sizeof all_codes[0];
    const char *unknown = htsep_strerror(-12345);

    for (size_t i = 0; i < n; i++) {
        const char *msg = htsep_strerror(all_codes[i]);

        ck_assert_ptr_nonnull(msg);
        ck_assert_str_ne(msg, unknown);
        for (size_t j = 0; j < i; j++)
            ck_assert_str_ne(msg, htsep_strerror(all_codes[j]));
    }
}
END_TEST

START_TEST(status_names_match_the_enumerators)
{
    ck_assert_str_eq(htsep_status_name(HTSEP_OK), "HTSEP_OK");
    ck_assert_str_eq(htsep_status_name(HTSEP_E_IDX_LABEL),
                     "HTSEP_E_IDX_LABEL");
    ck_assert_str_eq(htsep_status_name(HTSEP_E_STOPPED), "HTSEP_E_STOPPED");
    ck_assert_str_eq(htsep_status_name(999), "HTSEP_E_UNKNOWN");
    ck_assert_ptr_nonnull(htsep_strerror(999));
}
END_TEST

START_TEST(status_codes_keep_their_numbers)
{
    /* The values are ABI: they must never move. */
    ck_assert_int_eq(HTSEP_E_NULL, 1);
    ck_assert_int_eq(HTSEP_E_NOMEM, 10);
    ck_assert_int_eq(HTSEP_E_OPEN, 100);
    ck_assert_int_eq(HTSEP_E_IDX_MAGIC, 110);
    ck_assert_int_eq(HTSEP_E_CKPT_MAGIC, 130);
    ck_assert_int_eq(HTSEP_E_DIVERGED, 200);
    ck_assert_int_eq(HTSEP_E_STOPPED, 201);
}
END_TEST

START_TEST(version_matches_the_header)
{
    char expect[32];

    ck_assert_uint_eq(htsep_version(), HTSEP_VERSION_NUMBER);
    snprintf(expect, sizeof expect, "%d.%d.%d", HTSEP_VERSION_MAJOR,
             HTSEP_VERSION_MINOR, HTSEP_VERSION_PATCH);
    ck_assert_str_eq(htsep_version_string(), expect);
}
END_TEST

Suite *suite_status(void)
{
    Suite *s = suite_create("status");
    TCase *tc = tcase_create("status");

    tcase_add_test(tc, status_every_code_has_its_own_message);
    tcase_add_test(tc, status_names_match_the_enumerators);
    tcase_add_test(tc, status_codes_keep_their_numbers);
    tcase_add_test(tc, version_matches_the_header);
    suite_add_tcase(s, tc);
    return s;
}
