/* The dt sampler: moments of each distribution before clamping, clamping,
 * seeding and argument checks (docs/algorithm.md). */
#include <math.h>
#include <stdlib.h>

#include "htsep.h"
#include "suites.h"

#define DRAWS 200000

static htsep_sampler *make(htsep_dt_dist dist, uint64_t seed)
{
    htsep_sampler *s = NULL;

    ck_assert_int_eq(htsep_sampler_create(&s, dist, 0.3, 0.1), HTSEP_OK);
    ck_assert_int_eq(htsep_sampler_seed(s, seed), HTSEP_OK);
    return s;
}

static void moments(const double *v, size_t n, double *mean, double *sd)
{
    double sum = 0.0, sq = 0.0;

    for (size_t i = 0; i < n; i++)
        sum += v[i];
    *mean = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        sq += (v[i] - *mean) * (v[i] - *mean);
    *sd = sqrt(sq / (double)(n - 1));
}

/* Mean and sd of a large unclamped draw are mu = 0.3 and sigma = 0.1;
 * the standard error of the mean is 2.2e-4, of the sd under 3e-4. */
static void check_moments(htsep_dt_dist dist)
{
    htsep_sampler *s = make(dist, 11);
    double *v = malloc(DRAWS * sizeof *v);
    double mean, sd;

    ck_assert_ptr_nonnull(v);
    ck_assert_int_eq(htsep_sampler_draw_unclamped(s, v, DRAWS), HTSEP_OK);
    moments(v, DRAWS, &mean, &sd);
    ck_assert_double_eq_tol(mean, 0.3, 1.5e-3);
    ck_assert_double_eq_tol(sd, 0.1, 2e-3);
    free(v);
    htsep_sampler_free(s);
}

START_TEST(sampler_normal_has_mean_mu_and_sd_sigma)
{
    check_moments(HTSEP_DT_NORMAL);
}
END_TEST

START_TEST(sampler_lognormal_has_mean_mu_and_sd_sigma)
{
    htsep_sampler *s = make(HTSEP_DT_LOGNORMAL, 12);
    double *v = malloc(DRAWS * sizeof *v);
    double mean, sd, log_mean = 0.0;

    check_moments(HTSEP_DT_LOGNORMAL);
    /* The underlying normal: m = ln(0.3) - s^2 / 2 = -1.25665. */
    ck_assert_int_eq(htsep_sampler_draw_unclamped(s, v, DRAWS), HTSEP_OK);
    for (size_t i = 0; i < DRAWS; i++)
        v[i] = log(v[i]);
    moments(v, DRAWS, &log_mean, &sd);
    mean = log_mean;
    ck_assert_double_eq_tol(mean, -1.25665, 3e-3);
    ck_assert_double_eq_tol(sd, 0.32459, 3e-3);
    free(v);
    htsep_sampler_free(s);
}
END_TEST

START_TEST(sampler_gamma_has_mean_mu_and_sd_sigma)
{
    check_moments(HTSEP_DT_GAMMA);
}
END_TEST

START_TEST(sampler_scalar_gives_mu_everywhere)
{
    htsep_sampler *s = make(HTSEP_DT_SCALAR, 1);
    float dt[100];

    ck_assert_int_eq(htsep_sampler_draw(s, dt, 100), HTSEP_OK);
    for (int i = 0; i < 100; i++)
        ck_assert_float_eq(dt[i], 0.3f);
    htsep_sampler_free(s);
}
END_TEST

/* Share of a clamped draw sitting exactly at the upper bound 0.5. */
static double share_at_max(htsep_dt_dist dist)
{
    htsep_sampler *s = make(dist, 21);
    float *dt = malloc(DRAWS * sizeof *dt);
    size_t at_max = 0;

    ck_assert_ptr_nonnull(dt);
    ck_assert_int_eq(htsep_sampler_draw(s, dt, DRAWS), HTSEP_OK);
    for (size_t i = 0; i < DRAWS; i++) {
        ck_assert(dt[i] >= 1e-3f && dt[i] <= 0.5f);
        at_max += dt[i] == 0.5f;
    }
    free(dt);
    htsep_sampler_free(s);
    return (double)at_max / DRAWS;
}

START_TEST(sampler_clamping_piles_mass_at_the_bound)
{
    /* P(X > 0.5): log-normal 1 - Phi((ln 0.5 - m)/s) = 0.0413; normal
     * 1 - Phi(2) = 0.0228; gamma(9, 1/30) P(Poisson(15) <= 8) = 0.0374.
     * The binomial standard error at 2e5 draws is under 5e-4. */
    ck_assert_double_eq_tol(share_at_max(HTSEP_DT_LOGNORMAL), 0.0413, 0.002);
    ck_assert_double_eq_tol(share_at_max(HTSEP_DT_NORMAL), 0.0228, 0.002);
    ck_assert_double_eq_tol(share_at_max(HTSEP_DT_GAMMA), 0.0374, 0.002);
}
END_TEST

START_TEST(sampler_clamps_each_value_to_the_nearest_bound)
{
    htsep_sampler *s = make(HTSEP_DT_NORMAL, 5);
    double raw[5000];
    float dt[5000];
    size_t low = 0, high = 0;

    /* Wide sigma so that both bounds are hit. */
    htsep_sampler_free(s);
    ck_assert_int_eq(htsep_sampler_create(&s, HTSEP_DT_NORMAL, 0.3, 0.3),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_sampler_set_bounds(s, 0.05, 0.45), HTSEP_OK);
    ck_assert_int_eq(htsep_sampler_seed(s, 5), HTSEP_OK);
    ck_assert_int_eq(htsep_sampler_draw_unclamped(s, raw, 5000), HTSEP_OK);
    ck_assert_int_eq(htsep_sampler_seed(s, 5), HTSEP_OK);
    ck_assert_int_eq(htsep_sampler_draw(s, dt, 5000), HTSEP_OK);
    for (size_t i = 0; i < 5000; i++) {
        double expect = raw[i] < 0.05 ? 0.05 : raw[i] > 0.45 ? 0.45 : raw[i];

        ck_assert_float_eq(dt[i], (float)expect);
        low += raw[i] < 0.05;
        high += raw[i] > 0.45;
    }
    ck_assert_uint_gt(low, 100);
    ck_assert_uint_gt(high, 100);
    htsep_sampler_free(s);
}
END_TEST

START_TEST(sampler_same_seed_gives_same_dt)
{
    htsep_sampler *a = make(HTSEP_DT_GAMMA, 42);
    htsep_sampler *b = make(HTSEP_DT_GAMMA, 42);
    htsep_sampler *c = make(HTSEP_DT_GAMMA, 43);
    float da[256], db[256], dc[256];
    int differ = 0;

    ck_assert_int_eq(htsep_sampler_draw(a, da, 256), HTSEP_OK);
    ck_assert_int_eq(htsep_sampler_draw(b, db, 256), HTSEP_OK);
    ck_assert_int_eq(htsep_sampler_draw(c, dc, 256), HTSEP_OK);
    ck_assert_mem_eq(da, db, sizeof da);
    for (int i = 0; i < 256; i++)
        differ += da[i] != dc[i];
    ck_assert_int_gt(differ, 200);
    htsep_sampler_free(a);
    htsep_sampler_free(b);
    htsep_sampler_free(c);
}
END_TEST

START_TEST(sampler_rejects_bad_arguments)
{
    htsep_sampler *s = NULL;
    htsep_dt_dist d;
    float dt[2];

    ck_assert_int_eq(htsep_sampler_create(NULL, HTSEP_DT_NORMAL, 0.3, 0.1),
                     HTSEP_E_NULL);
    ck_assert_int_eq(htsep_sampler_create(&s, (htsep_dt_dist)9, 0.3, 0.1),
                     HTSEP_E_ENUM);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(htsep_sampler_create(&s, HTSEP_DT_NORMAL, -0.3, 0.1),
                     HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_sampler_create(&s, HTSEP_DT_NORMAL, NAN, 0.1),
                     HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_sampler_create(&s, HTSEP_DT_NORMAL, 0.3, -1.0),
                     HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_sampler_create(&s, HTSEP_DT_GAMMA, 0.3, 0.0),
                     HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_sampler_create(&s, HTSEP_DT_LOGNORMAL, 0.3,
                                          INFINITY),
                     HTSEP_E_VALUE);
    /* Finite mean and sd whose derived parameters overflow. */
    ck_assert_int_eq(htsep_sampler_create(&s, HTSEP_DT_LOGNORMAL, 0.3, 1e154),
                     HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_sampler_create(&s, HTSEP_DT_GAMMA, 0.3, 1e160),
                     HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_sampler_create(&s, HTSEP_DT_GAMMA, 1e-300, 1e-300),
                     HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_sampler_create(&s, HTSEP_DT_LOGNORMAL, 1e308,
                                          1e308),
                     HTSEP_E_VALUE);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(htsep_sampler_create(&s, HTSEP_DT_NORMAL, 0.3, 0.1),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_sampler_set_bounds(s, 0.0, 0.5), HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_sampler_set_bounds(s, 0.4, 0.2), HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_sampler_set_bounds(s, NAN, 0.2), HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_sampler_draw(s, NULL, 2), HTSEP_E_NULL);
    ck_assert_int_eq(htsep_sampler_draw(NULL, dt, 2), HTSEP_E_NULL);
    ck_assert_int_eq(htsep_sampler_seed(NULL, 1), HTSEP_E_NULL);
    ck_assert_int_eq(htsep_dt_dist_parse("cauchy", &d), HTSEP_E_ENUM);
    ck_assert_int_eq(htsep_dt_dist_parse("gamma", &d), HTSEP_OK);
    ck_assert_int_eq(d, HTSEP_DT_GAMMA);
    ck_assert_str_eq(htsep_dt_dist_name(HTSEP_DT_LOGNORMAL), "lognormal");
    ck_assert_str_eq(htsep_dt_dist_name((htsep_dt_dist)7), "unknown");
    htsep_sampler_free(s);
    htsep_sampler_free(NULL);
}
END_TEST

Suite *suite_sampler(void)
{
    Suite *s = suite_create("sampler");
    TCase *tc = tcase_create("sampler");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, sampler_normal_has_mean_mu_and_sd_sigma);
    tcase_add_test(tc, sampler_lognormal_has_mean_mu_and_sd_sigma);
    tcase_add_test(tc, sampler_gamma_has_mean_mu_and_sd_sigma);
    tcase_add_test(tc, sampler_scalar_gives_mu_everywhere);
    tcase_add_test(tc, sampler_clamping_piles_mass_at_the_bound);
    tcase_add_test(tc, sampler_clamps_each_value_to_the_nearest_bound);
    tcase_add_test(tc, sampler_same_seed_gives_same_dt);
    tcase_add_test(tc, sampler_rejects_bad_arguments);
    suite_add_tcase(s, tc);
    return s;
}
