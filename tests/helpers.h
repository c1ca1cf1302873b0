/* Small helpers shared by the test files. */
#ifndef HTSEP_TEST_HELPERS_H
#define HTSEP_TEST_HELPERS_H

#include <check.h>

#include "htsep.h"
#include "reference.h"

/* n values uniform in [lo, hi) from a small linear congruential stream, so
 * that tests need no random library and give the same numbers anywhere. */
static inline void fill_uniform(float *v, size_t n, float lo, float hi,
                                uint32_t *seed)
{
    for (size_t i = 0; i < n; i++) {
        *seed = *seed * 1664525u + 1013904223u;
        v[i] = lo + (hi - lo) * (float)((*seed >> 8) / 16777216.0);
    }
}

/* Builds the library network matching the reference network n. */
static inline htsep_network *net_from_ref(const struct ref_net *n)
{
    htsep_network *net = NULL;
    float w1[REF_IN * REF_H], w2[REF_H * REF_OUT], b1[REF_H], b2[REF_OUT];
    float dt[REF_H];

    for (int i = 0; i < REF_IN; i++)
        for (int j = 0; j < REF_H; j++)
            w1[i * REF_H + j] = (float)n->W1[i][j];
    for (int j = 0; j < REF_H; j++) {
        for (int k = 0; k < REF_OUT; k++)
            w2[j * REF_OUT + k] = (float)n->W2[j][k];
        b1[j] = (float)n->b1[j];
        dt[j] = (float)n->dt_h[j];
    }
    for (int k = 0; k < REF_OUT; k++)
        b2[k] = (float)n->b2[k];

    ck_assert_int_eq(htsep_network_create(&net, REF_IN, REF_H, REF_OUT),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_weights(net, 1, w1, REF_IN * REF_H),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_weights(net, 2, w2, REF_H * REF_OUT),
                     HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_biases(net, 1, b1, REF_H), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_biases(net, 2, b2, REF_OUT), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_dt(net, dt, REF_H), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_dt_y(net, n->dt_y), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_gamma(net, n->gamma), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_beta(net, n->beta), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_leak(net, n->leak), HTSEP_OK);
    ck_assert_int_eq(htsep_network_set_input_norm(net, n->mean, n->sd),
                     HTSEP_OK);
    return net;
}

static inline void ref_x_float(float *x)
{
    for (int b = 0; b < REF_B; b++)
        for (int i = 0; i < REF_IN; i++)
            x[b * REF_IN + i] = (float)ref_x[b][i];
}

#endif
