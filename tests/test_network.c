/* The network: dynamics against an independent double-precision model,
 * defaults, initialisation and argument checks (docs/algorithm.md). */
#include <math.h>
#include <stdlib.h>

#include "helpers.h"
#include "network_impl.h"
#include "suites.h"

static void assert_state_near(const float *h, const float *y,
                              const struct ref_state *s, double tol)
{
    for (int b = 0; b < REF_B; b++) {
        for (int j = 0; j < REF_H; j++)
            ck_assert_double_eq_tol(h[b * REF_H + j], s->h[b][j], tol);
        for (int k = 0; k < REF_OUT; k++)
            ck_assert_double_eq_tol(y[b * REF_OUT + k], s->y[b][k], tol);
    }
}

START_TEST(network_free_and_clamped_steps_match_double_reference)
{
    struct ref_net ref;
    struct ref_state s = {0};
    static const double target[REF_B][REF_OUT] = {{1, 0}, {0, 1}};
    float x[REF_B * REF_IN], h[REF_B * REF_H] = {0}, y[REF_B * REF_OUT] = {0};
    float t[REF_B * REF_OUT] = {1, 0, 0, 1};
    htsep_network *net;

    ref_fill(&ref);
    net = net_from_ref(&ref);
    ref_x_float(x);

    /* Two free steps from rest. */
    ref_step(&ref, ref_x, &s, NULL);
    ref_step(&ref, ref_x, &s, NULL);
    ck_assert_int_eq(htsep_network_relax(net, x, REF_B, h, y, 2, NULL),
                     HTSEP_OK);
    assert_state_near(h, y, &s, 1e-6);
    /* The state must have moved well away from rest for this to mean
     * anything. */
    ck_assert_double_gt(fabs(s.h[0][2]), 0.05);

    /* One clamped step, continuing from the free state. */
    ref_step(&ref, ref_x, &s, target);
    ck_assert_int_eq(htsep_network_relax(net, x, REF_B, h, y, 1, t),
                     HTSEP_OK);
    assert_state_near(h, y, &s, 1e-6);
    htsep_network_free(net);
}
END_TEST

START_TEST(network_predict_runs_the_free_phase_from_rest)
{
    struct ref_net ref;
    struct ref_state s = {0};
    float x[REF_B * REF_IN], y[REF_B * REF_OUT];
    unsigned labels[REF_B];
    htsep_network *net;

    ref_fill(&ref);
    net = net_from_ref(&ref);
    ref_x_float(x);
    ck_assert_int_eq(htsep_network_set_steps(net, 40, 3), HTSEP_OK);
    for (int i = 0; i < 40; i++)
        ref_step(&ref, ref_x, &s, NULL);
    ck_assert_int_eq(htsep_network_predict(net, x, REF_B, y, labels),
                     HTSEP_OK);
    for (int b = 0; b < REF_B; b++) {
        for (int k = 0; k < REF_OUT; k++)
            ck_assert_double_eq_tol(y[b * REF_OUT + k], s.y[b][k], 1e-5);
        ck_assert_uint_eq(labels[b], s.y[b][1] > s.y[b][0] ? 1u : 0u);
    }
    htsep_network_free(net);
}
END_TEST

START_TEST(network_starts_with_the_documented_defaults)
{
    htsep_network *net = NULL;
    double v, mean, sd;
    unsigned tf, tc;
    htsep_clamped_start start;
    float dt[7], w[5 * 7];
    size_t a, b, c;

    ck_assert_int_eq(htsep_network_create(&net, 5, 7, 3), HTSEP_OK);
    ck_assert_int_eq(htsep_network_sizes(net, &a, &b, &c), HTSEP_OK);
    ck_assert_uint_eq(a, 5);
    ck_assert_uint_eq(b, 7);
    ck_assert_uint_eq(c, 3);
    ck_assert_int_eq(htsep_network_get_dt(net, dt, 7), HTSEP_OK);
    for (int i = 0; i < 7; i++)
        ck_assert_float_eq(dt[i], 0.3f);
    ck_assert_int_eq(htsep_network_get_dt_y(net, &v), HTSEP_OK);
    ck_assert_double_eq(v, 0.3);
    ck_assert_int_eq(htsep_network_get_gamma(net, &v), HTSEP_OK);
    ck_assert_double_eq(v, 1.0);
    ck_assert_int_eq(htsep_network_get_beta(net, &v), HTSEP_OK);
    ck_assert_double_eq(v, 1.0);
    ck_assert_int_eq(htsep_network_get_leak(net, &v), HTSEP_OK);
    ck_assert_double_eq(v, 0.01);
    ck_assert_int_eq(htsep_network_get_steps(net, &tf, &tc), HTSEP_OK);
    ck_assert_uint_eq(tf, 125);
    ck_assert_uint_eq(tc, 12);
    ck_assert_int_eq(htsep_network_get_clamped_start(net, &start), HTSEP_OK);
    ck_assert_int_eq(start, HTSEP_CLAMPED_FROM_FREE);
    ck_assert_int_eq(htsep_network_get_input_norm(net, &mean, &sd), HTSEP_OK);
    ck_assert_double_eq(mean, 0.0);
    ck_assert_double_eq(sd, 1.0);
    ck_assert_int_eq(htsep_network_get_weights(net, 1, w, 35), HTSEP_OK);
    for (int i = 0; i < 35; i++)
        ck_assert_float_eq(w[i], 0.0f);
    htsep_network_free(net);
}
END_TEST

START_TEST(network_glorot_init_is_seeded_and_bounded)
{
    htsep_network *a = NULL, *b = NULL;
    enum { NI = 30, NH = 50, NO = 4 };
    float wa[NI * NH], wb[NI * NH], w2[NH * NO], b1[NH];
    double limit = sqrt(6.0 / (NI + NH)), sum = 0.0, sq = 0.0;

    ck_assert_int_eq(htsep_network_create(&a, NI, NH, NO), HTSEP_OK);
    ck_assert_int_eq(htsep_network_create(&b, NI, NH, NO), HTSEP_OK);
    ck_assert_int_eq(htsep_network_init_weights(a, HTSEP_INIT_GLOROT, 9),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_network_init_weights(b, HTSEP_INIT_GLOROT, 9),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_weights(a, 1, wa, NI * NH), HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_weights(b, 1, wb, NI * NH), HTSEP_OK);
    ck_assert_mem_eq(wa, wb, sizeof wa);
    for (int i = 0; i < NI * NH; i++) {
        ck_assert_double_le(fabs(wa[i]), limit);
        sum += wa[i];
        sq += wa[i] * wa[i];
    }
    /* U(-l, l) has mean 0 and variance l^2 / 3. */
    ck_assert_double_eq_tol(sum / (NI * NH), 0.0, 0.03);
    ck_assert_double_eq_tol(sq / (NI * NH), limit * limit / 3.0, 0.01);
    ck_assert_int_eq(htsep_network_get_weights(a, 2, w2, NH * NO), HTSEP_OK);
    for (int i = 0; i < NH * NO; i++)
        ck_assert_double_le(fabs(w2[i]), sqrt(6.0 / (NH + NO)));
    ck_assert_int_eq(htsep_network_get_biases(a, 1, b1, NH), HTSEP_OK);
    for (int i = 0; i < NH; i++)
        ck_assert_float_eq(b1[i], 0.0f);

    ck_assert_int_eq(htsep_network_init_weights(b, HTSEP_INIT_GLOROT, 10),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_weights(b, 1, wb, NI * NH), HTSEP_OK);
    ck_assert_int_ne(memcmp(wa, wb, sizeof wa), 0);
    htsep_network_free(a);
    htsep_network_free(b);
}
END_TEST

START_TEST(network_positive_init_follows_the_authors_scheme)
{
    htsep_network *net = NULL;
    enum { NI = 40, NH = 400, NO = 3 };
    static float w[NI * NH];
    float b1[NH];
    double scale = sqrt(6.0 / (NI * NH)), mean = 0.0;

    ck_assert_int_eq(htsep_network_create(&net, NI, NH, NO), HTSEP_OK);
    ck_assert_int_eq(htsep_network_init_weights(net, HTSEP_INIT_POSITIVE, 3),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_weights(net, 1, w, NI * NH), HTSEP_OK);
    for (int i = 0; i < NI * NH; i++)
        ck_assert(w[i] >= 0.0f && w[i] <= scale);
    ck_assert_int_eq(htsep_network_get_biases(net, 1, b1, NH), HTSEP_OK);
    for (int i = 0; i < NH; i++)
        mean += b1[i] / NH;
    /* N(0,1) - 0.5 over 400 draws: standard error 0.05. */
    ck_assert_double_eq_tol(mean, -0.5, 0.2);
    ck_assert_int_eq(htsep_network_init_weights(net, (htsep_init)5, 3),
                     HTSEP_E_ENUM);
    htsep_network_free(net);
}
END_TEST

START_TEST(network_draw_dt_uses_the_sampler)
{
    htsep_network *net = NULL;
    htsep_sampler *s = NULL;
    float got[64], expect[64];

    ck_assert_int_eq(htsep_network_create(&net, 2, 64, 2), HTSEP_OK);
    ck_assert_int_eq(htsep_sampler_create(&s, HTSEP_DT_LOGNORMAL, 0.3, 0.1),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_sampler_seed(s, 4), HTSEP_OK);
    ck_assert_int_eq(htsep_network_draw_dt(net, s), HTSEP_OK);
    ck_assert_int_eq(htsep_sampler_seed(s, 4), HTSEP_OK);
    ck_assert_int_eq(htsep_sampler_draw(s, expect, 64), HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_dt(net, got, 64), HTSEP_OK);
    ck_assert_mem_eq(got, expect, sizeof got);

    /* A sampler bounded above 1 may draw steps the network refuses; the
     * network keeps its time steps then. */
    ck_assert_int_eq(htsep_sampler_set_bounds(s, 1.2, 1.5), HTSEP_OK);
    ck_assert_int_eq(htsep_network_draw_dt(net, s), HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_network_get_dt(net, got, 64), HTSEP_OK);
    ck_assert_mem_eq(got, expect, sizeof got);
    htsep_sampler_free(s);
    htsep_network_free(net);
}
END_TEST

START_TEST(network_reports_divergence)
{
    htsep_network *net = NULL;
    float w1[3 * 2], x[3] = {1, 1, 1}, h[2] = {0}, y[2] = {0};

    for (int i = 0; i < 6; i++)
        w1[i] = 3e38f;
    ck_assert_int_eq(htsep_network_create(&net, 3, 2, 2), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_weights(net, 1, w1, 6), HTSEP_OK);
    ck_assert_int_eq(htsep_network_relax(net, x, 1, h, y, 3, NULL),
                     HTSEP_E_DIVERGED);
    ck_assert_int_eq(htsep_network_predict(net, x, 1, NULL, NULL),
                     HTSEP_E_DIVERGED);
    htsep_network_free(net);
}
END_TEST

START_TEST(network_rejects_misuse)
{
    htsep_network *net = NULL;
    float w[12] = {0}, dt[4] = {0.1f, 0.2f, 0.3f, 0.4f}, x[3] = {0};
    float h[4] = {0}, y[2] = {0};
    double v;

    ck_assert_int_eq(htsep_network_create(NULL, 3, 4, 2), HTSEP_E_NULL);
    ck_assert_int_eq(htsep_network_create(&net, 0, 4, 2), HTSEP_E_SIZE);
    ck_assert_ptr_null(net);
    ck_assert_int_eq(htsep_network_create(&net, 3, 0, 2), HTSEP_E_SIZE);
    ck_assert_int_eq(htsep_network_create(&net, 3, 4, 0), HTSEP_E_SIZE);
    ck_assert_int_eq(htsep_network_create(&net, SIZE_MAX / 2, 4, 2),
                     HTSEP_E_SIZE);
    ck_assert_int_eq(htsep_network_create(&net, 3, 4, 2), HTSEP_OK);

    ck_assert_int_eq(htsep_network_set_dt_y(net, -0.1), HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_network_set_dt_y(net, NAN), HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_network_set_dt_y(net, 0.0), HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_network_set_beta(net, 1.5), HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_network_set_gamma(net, -1.0), HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_network_set_leak(net, INFINITY), HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_network_set_steps(net, 0, 12), HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_network_set_input_norm(net, 0.1, 0.0),
                     HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_network_set_clamped_start(
                         net, (htsep_clamped_start)4),
                     HTSEP_E_ENUM);
    ck_assert_int_eq(htsep_network_get_dt_y(net, &v), HTSEP_OK);
    ck_assert_double_eq(v, 0.3);

    dt[2] = -0.3f;
    ck_assert_int_eq(htsep_network_set_dt(net, dt, 4), HTSEP_E_VALUE);
    dt[2] = NAN;
    ck_assert_int_eq(htsep_network_set_dt(net, dt, 4), HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_network_set_dt(net, dt, 3), HTSEP_E_MISMATCH);
    ck_assert_int_eq(htsep_network_set_dt(net, NULL, 4), HTSEP_E_NULL);
    ck_assert_int_eq(htsep_network_set_weights(net, 1, w, 11),
                     HTSEP_E_MISMATCH);
    ck_assert_int_eq(htsep_network_set_weights(net, 3, w, 12), HTSEP_E_VALUE);
    w[5] = NAN;
    ck_assert_int_eq(htsep_network_set_weights(net, 1, w, 12), HTSEP_E_VALUE);
    ck_assert_int_eq(htsep_network_get_weights(NULL, 1, w, 12), HTSEP_E_NULL);

    ck_assert_int_eq(htsep_network_relax(NULL, x, 1, h, y, 1, NULL),
                     HTSEP_E_NULL);
    ck_assert_int_eq(htsep_network_relax(net, x, 0, h, y, 1, NULL),
                     HTSEP_E_SIZE);
    ck_assert_int_eq(htsep_network_predict(net, NULL, 1, y, NULL),
                     HTSEP_E_NULL);
    ck_assert_int_eq(htsep_network_evaluate(net, NULL, &v), HTSEP_E_NULL);
    ck_assert_int_eq(htsep_network_draw_dt(net, NULL), HTSEP_E_NULL);
    ck_assert_int_eq(htsep_network_sizes(NULL, NULL, NULL, NULL),
                     HTSEP_E_NULL);
    htsep_network_free(net);
    htsep_network_free(NULL);
}
END_TEST

/* Uniform values in [lo, hi) from a small LCG, for repeatable inputs. */
static double max_rel_error(const float *a, const float *b, size_t n)
{
    double worst = 0.0;

    for (size_t i = 0; i < n; i++) {
        double scale = fabs((double)b[i]) > 1.0 ? fabs((double)b[i]) : 1.0;
        double e = fabs((double)a[i] - (double)b[i]) / scale;

        if (e > worst)
            worst = e;
    }
    return worst;
}

/* The fused kernel (through the public call) against the plain CBLAS
 * reference path, on sizes chosen to hit every remainder of the kernel's
 * vector loops. */
static void compare_paths(size_t n_in, size_t n_h, size_t n_out, size_t b,
                          unsigned threads, uint32_t seed)
{
    htsep_network *net = NULL;
    float *w1 = malloc(n_in * n_h * sizeof(float));
    float *w2 = malloc(n_h * n_out * sizeof(float));
    float *b1 = malloc(n_h * sizeof(float)), *b2 = malloc(n_out * sizeof(float));
    float *dt = malloc(n_h * sizeof(float)), *x = malloc(b * n_in * sizeof(float));
    float *t = calloc(b * n_out, sizeof(float));
    float *h1 = calloc(b * n_h, sizeof(float)), *y1 = calloc(b * n_out, sizeof(float));
    float *h2 = calloc(b * n_h, sizeof(float)), *y2 = calloc(b * n_out, sizeof(float));

    fill_uniform(w1, n_in * n_h, -0.3f, 0.3f, &seed);
    fill_uniform(w2, n_h * n_out, -0.4f, 0.4f, &seed);
    fill_uniform(b1, n_h, -0.1f, 0.1f, &seed);
    fill_uniform(b2, n_out, -0.1f, 0.1f, &seed);
    fill_uniform(dt, n_h, 0.05f, 0.5f, &seed);
    fill_uniform(x, b * n_in, 0.0f, 1.0f, &seed);
    for (size_t r = 0; r < b; r++)
        t[r * n_out + r % n_out] = 1.0f;

    ck_assert_int_eq(htsep_network_create(&net, n_in, n_h, n_out), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_weights(net, 1, w1, n_in * n_h), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_weights(net, 2, w2, n_h * n_out), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_biases(net, 1, b1, n_h), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_biases(net, 2, b2, n_out), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_dt(net, dt, n_h), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_gamma(net, 0.9), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_beta(net, 0.7), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_input_norm(net, 0.3, 0.4), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_threads(net, threads), HTSEP_OK);

    /* Free phase, then clamped phase, by the kernel. */
    ck_assert_int_eq(htsep_network_relax(net, x, b, h1, y1, 30, NULL), HTSEP_OK);
    ck_assert_int_eq(htsep_network_relax(net, x, b, h1, y1, 6, t), HTSEP_OK);

    /* The same by the reference path. */
    ck_assert_int_eq(htsep__workspace_reserve(net, b), HTSEP_OK);
    htsep__compute_drive(net, x, b);
    htsep__relax_reference(net, net->ws.drive, b, h2, y2, 30, NULL);
    htsep__relax_reference(net, net->ws.drive, b, h2, y2, 6, t);

    ck_assert_double_lt(max_rel_error(h1, h2, b * n_h), 1e-5);
    ck_assert_double_lt(max_rel_error(y1, y2, b * n_out), 1e-5);
    htsep_network_free(net);
    free(w1); free(w2); free(b1); free(b2); free(dt); free(x); free(t);
    free(h1); free(y1); free(h2); free(y2);
}

START_TEST(network_kernel_matches_the_reference_path)
{
    compare_paths(784, 1024, 10, 9, 1, 1);
    compare_paths(13, 37, 3, 7, 1, 2);
    compare_paths(5, 33, 1, 1, 1, 3);
    compare_paths(31, 95, 11, 17, 3, 4);
    compare_paths(2, 1, 2, 3, 2, 5);
    /* More outputs than the kernel holds in registers at once. */
    compare_paths(17, 64, 23, 12, 2, 6);
}
END_TEST

/* The relaxation is split by examples and computes each the same way;
 * the input products may round differently with another split. */
START_TEST(network_thread_count_changes_results_only_by_rounding)
{
    htsep_network *net = NULL;
    enum { NI = 20, NH = 70, NO = 4, B = 23 };
    float x[B * NI], y1[B * NO], y3[B * NO];
    uint32_t seed = 99;
    unsigned threads;

    fill_uniform(x, B * NI, 0.0f, 1.0f, &seed);
    ck_assert_int_eq(htsep_network_create(&net, NI, NH, NO), HTSEP_OK);
    ck_assert_int_eq(htsep_network_init_weights(net, HTSEP_INIT_GLOROT, 4),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_network_predict(net, x, B, y1, NULL), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_threads(net, 3), HTSEP_OK);
    ck_assert_int_eq(htsep_network_get_threads(net, &threads), HTSEP_OK);
    ck_assert_uint_eq(threads, 3);
    ck_assert_int_eq(htsep_network_predict(net, x, B, y3, NULL), HTSEP_OK);
    for (int i = 0; i < B * NO; i++)
        ck_assert_float_eq_tol(y1[i], y3[i], 1e-6f);
    ck_assert_int_eq(htsep_network_set_threads(net, 0), HTSEP_E_VALUE);
    htsep_network_free(net);
}
END_TEST

Suite *suite_network(void)
{
    Suite *s = suite_create("network");
    TCase *tc = tcase_create("network");

    tcase_add_test(tc, network_free_and_clamped_steps_match_double_reference);
    tcase_add_test(tc, network_predict_runs_the_free_phase_from_rest);
    tcase_add_test(tc, network_starts_with_the_documented_defaults);
    tcase_add_test(tc, network_glorot_init_is_seeded_and_bounded);
    tcase_add_test(tc, network_positive_init_follows_the_authors_scheme);
    tcase_add_test(tc, network_draw_dt_uses_the_sampler);
    tcase_add_test(tc, network_reports_divergence);
    tcase_add_test(tc, network_rejects_misuse);
    tcase_add_test(tc, network_kernel_matches_the_reference_path);
    tcase_add_test(tc, network_thread_count_changes_results_only_by_rounding);
    suite_add_tcase(s, tc);
    return s;
}
