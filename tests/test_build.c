/* The built artefacts: exported symbols, soname, and programs compiled
 * through pkg-config against an installed copy. Needs HTSEP_TOP, the
 * source tree where `make` has run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "htsep.h"
#include "suites.h"

static const char *top(void)
{
    const char *t = getenv("HTSEP_TOP");

    ck_assert_msg(t != NULL, "HTSEP_TOP is not set");
    return t;
}

/* Runs a shell command and returns its whole output (malloc'd). */
static char *capture(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    size_t len = 0, cap = 4096;
    char *out = malloc(cap);
    size_t got;

    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_nonnull(out);
    while ((got = fread(out + len, 1, cap - len - 1, p)) > 0) {
        len += got;
        if (cap - len < 2) {
            cap *= 2;
            out = realloc(out, cap);
            ck_assert_ptr_nonnull(out);
        }
    }
    out[len] = '\0';
    int rc = pclose(p);
    ck_assert_msg(rc == 0, "'%s' failed (status %d):\n%.2000s", cmd, rc, out);
    return out;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

START_TEST(build_exports_exactly_the_recorded_api)
{
    char cmd[2048], path[1024];
    char *exported, *recorded;

    snprintf(cmd, sizeof cmd,
             "nm -D --defined-only '%s/lib/libhtsep.so.%d.%d.%d' | "
             "awk '{print $3}' | grep -v '^HTSEP_' | sort",
             top(), HTSEP_VERSION_MAJOR, HTSEP_VERSION_MINOR,
             HTSEP_VERSION_PATCH);
    exported = capture(cmd);
    snprintf(path, sizeof path, "%s/tests/abi/htsep.symbols", top());
    recorded = read_file(path);
    if (strcmp(exported, recorded) != 0) {
        size_t i = 0;

        while (exported[i] && exported[i] == recorded[i])
            i++;
        while (i > 0 && exported[i - 1] != '\n')
            i--;
        ck_abort_msg("exported symbols differ from tests/abi/htsep.symbols "
                     "from line: %.60s (recorded: %.60s)", exported + i,
                     recorded + i);
    }

    /* Every exported name carries the prefix. */
    for (char *line = strtok(exported, "\n"); line; line = strtok(NULL, "\n"))
        ck_assert_msg(strncmp(line, "htsep_", 6) == 0, "exported: %s", line);
    free(exported);
    free(recorded);
}
END_TEST

START_TEST(build_soname_is_the_major_version)
{
    char cmd[2048], expect[64];
    char *out;

    snprintf(cmd, sizeof cmd,
             "readelf -d '%s/lib/libhtsep.so.%d.%d.%d' | grep SONAME", top(),
             HTSEP_VERSION_MAJOR, HTSEP_VERSION_MINOR, HTSEP_VERSION_PATCH);
    out = capture(cmd);
    snprintf(expect, sizeof expect, "[libhtsep.so.%d]", HTSEP_VERSION_MAJOR);
    ck_assert_msg(strstr(out, expect) != NULL, "soname line: %s", out);
    ck_assert_str_eq(expect, "[libhtsep.so.1]");
    free(out);

    /* The CBLAS bound at run time is OpenBLAS. */
    snprintf(cmd, sizeof cmd,
             "readelf -d '%s/lib/libhtsep.so.1' | grep NEEDED", top());
    out = capture(cmd);
    ck_assert_msg(strstr(out, "libopenblas") != NULL, "needed: %s", out);
    free(out);
}
END_TEST

START_TEST(build_programs_link_through_pkg_config)
{
    char cmd[2048];
    char *out;

    /* Installs into a temporary prefix, builds the C and C++ examples with
     * pkg-config, runs them and uninstalls. */
    snprintf(cmd, sizeof cmd, "sh '%s/tests/install_check.sh' '%s' 2>&1",
             top(), top());
    out = capture(cmd);
    ck_assert_msg(strstr(out, "from C++: training accuracy") != NULL, "%s",
                  out);
    ck_assert_msg(strstr(out, "install_check: ok") != NULL, "%s", out);
    free(out);
}
END_TEST

START_TEST(build_compiles_without_warnings_under_clang)
{
    char cmd[2048];
    char *out;

    snprintf(cmd, sizeof cmd, "sh '%s/tests/clang_check.sh' '%s' 2>&1", top(),
             top());
    out = capture(cmd);
    ck_assert_msg(strstr(out, "files clean") != NULL, "%s", out);
    free(out);
}
END_TEST

/* Runs tests/NAME.sh TOP FASHION_DIR and wants "NAME: ok" in its output. */
static void run_data_script(const char *name)
{
    const char *data = getenv("HTSEP_FASHION_DIR");
    char cmd[4096], ok[128];
    char *out;

    ck_assert_msg(data != NULL, "HTSEP_FASHION_DIR is not set");
    snprintf(cmd, sizeof cmd, "sh '%s/tests/%s.sh' '%s' '%s' 2>&1", top(),
             name, top(), data);
    snprintf(ok, sizeof ok, "%s: ok", name);
    out = capture(cmd);
    ck_assert_msg(strstr(out, ok) != NULL, "%s", out);
    free(out);
}

/* The sweep runner on a tiny grid of real Fashion-MNIST runs, its job-array
 * script, the report on lines with known means and sds, and the plots. */
START_TEST(build_sweep_report_and_plots_work)
{
    run_data_script("sweep_check");
}
END_TEST

/* htsep-train's statuses and messages for bad arguments and files. */
START_TEST(build_trainer_refuses_bad_arguments_clearly)
{
    run_data_script("train_cli_check");
}
END_TEST

/* Checks the line of htsep-units' output that starts with prefix: the
 * number of units in that band and, when it has any, their mean and
 * largest column norms. */
static void expect_band(const char *out, const char *prefix, int units,
                        double mean, double largest)
{
    const char *line = strstr(out, prefix);
    int got_units = -1;
    double got_mean = -1.0, got_largest = -1.0;

    ck_assert_msg(line != NULL, "no '%s' in:\n%s", prefix, out);
    ck_assert_int_ge(sscanf(line + strlen(prefix), "%d %lf %lf", &got_units,
                            &got_mean, &got_largest), 1);
    ck_assert_int_eq(got_units, units);
    if (units > 0) {
        ck_assert_double_eq_tol(got_mean, mean, 1e-3);
        ck_assert_double_eq_tol(got_largest, largest, 1e-3);
    }
}

/* htsep-units on a 3-4-1 network whose input-weight columns have the
 * norms 5, 2, 1 and 10 (3-4-0, 0-0-2, 1-0-0, 0-6-8) and whose time steps
 * fall into four different bands. */
START_TEST(build_units_tool_sorts_columns_into_time_step_bands)
{
    static const float w1[12] = {3, 0, 1, 0, 4, 0, 0, 6, 0, 2, 0, 8};
    static const float dt[4] = {0.02f, 0.07f, 0.3f, 0.5f};
    static const float b1[4] = {0.5f, -1.0f, 0.0f, 2.0f};
    char dir[] = "/tmp/htsep-units-XXXXXX", path[64], cmd[4096];
    htsep_network *net = NULL;
    char *out;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/n.ck", dir);
    ck_assert_int_eq(htsep_network_create(&net, 3, 4, 1), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_weights(net, 1, w1, 12), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_biases(net, 1, b1, 4), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_dt(net, dt, 4), HTSEP_OK);
    ck_assert_int_eq(htsep_network_save(net, path), HTSEP_OK);
    htsep_network_free(net);
    snprintf(cmd, sizeof cmd, "'%s/build/htsep-units' --top 2 '%s' 2>&1",
             top(), path);
    out = capture(cmd);
    ck_assert_msg(strstr(out, "3-4-1 network, |W1| 11.402") != NULL, "%s", out);
    expect_band(out, "[0.00, 0.05)", 1, 5.0, 5.0);
    expect_band(out, "[0.05, 0.10)", 1, 2.0, 2.0);
    expect_band(out, "[0.10, 0.20)", 0, 0.0, 0.0);
    expect_band(out, "[0.30, 0.40)", 1, 1.0, 1.0);
    expect_band(out, "[0.50, 1.00]", 1, 10.0, 10.0);
    /* The two largest columns, largest first: unit 3, then unit 0. */
    const char *first = strstr(out, "      3  0.5000       10.000     2.000");
    const char *second = strstr(out, "      0  0.0200        5.000     0.500");
    ck_assert_msg(first && second && first < second, "%s", out);
    ck_assert_ptr_null(strstr(out, "      1  0.0700"));
    free(out);
    /* A --top too large for the machine is refused, not wrapped. */
    snprintf(cmd, sizeof cmd,
             "'%s/build/htsep-units' --top 99999999999999999999999 '%s' "
             "> /dev/null 2>&1", top(), path);
    ck_assert_int_eq(system(cmd), 2 << 8);
    remove(path);
    rmdir(dir);
}
END_TEST

Suite *suite_build(void)
{
    Suite *s = suite_create("build");
    TCase *tc = tcase_create("build");

    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, build_exports_exactly_the_recorded_api);
    tcase_add_test(tc, build_soname_is_the_major_version);
    tcase_add_test(tc, build_programs_link_through_pkg_config);
    tcase_add_test(tc, build_compiles_without_warnings_under_clang);
    tcase_add_test(tc, build_sweep_report_and_plots_work);
    tcase_add_test(tc, build_trainer_refuses_bad_arguments_clearly);
    tcase_add_test(tc, build_units_tool_sorts_columns_into_time_step_bands);
    suite_add_tcase(s, tc);
    return s;
}
