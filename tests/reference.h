/* An independent double-precision model of the network for the tests: the
 * equations of docs/algorithm.md written out plainly, with none of the
 * library's code. Sizes are small and fixed at compile time. */
#ifndef HTSEP_TEST_REFERENCE_H
#define HTSEP_TEST_REFERENCE_H

#include <math.h>
#include <string.h>

#define REF_IN 3
#define REF_H 4
#define REF_OUT 2
#define REF_B 2

struct ref_net {
    double W1[REF_IN][REF_H], b1[REF_H];
    double W2[REF_H][REF_OUT], b2[REF_OUT];
    double dt_h[REF_H], dt_y, gamma, beta, leak, mean, sd;
};

struct ref_state {
    double h[REF_B][REF_H], y[REF_B][REF_OUT];
};

/* One synchronous step for every example; target NULL for free dynamics. */
static inline void ref_step(const struct ref_net *n,
                            const double x[REF_B][REF_IN],
                            struct ref_state *s,
                            const double (*target)[REF_OUT])
{
    struct ref_state old = *s;

    for (int b = 0; b < REF_B; b++) {
        for (int j = 0; j < REF_H; j++) {
            double a = n->b1[j];

            for (int i = 0; i < REF_IN; i++)
                a += (x[b][i] - n->mean) / n->sd * n->W1[i][j];
            for (int k = 0; k < REF_OUT; k++)
                a += n->gamma * old.y[b][k] * n->W2[j][k];
            double f = a > 0 ? a : n->leak * a;
            s->h[b][j] = old.h[b][j] + n->dt_h[j] * (f - old.h[b][j]);
        }
        for (int k = 0; k < REF_OUT; k++) {
            double a = n->b2[k];

            for (int j = 0; j < REF_H; j++)
                a += old.h[b][j] * n->W2[j][k];
            double g = 1.0 / (1.0 + exp(-a));
            s->y[b][k] = old.y[b][k] + n->dt_y * (g - old.y[b][k]);
            if (target)
                s->y[b][k] = (1 - n->beta) * s->y[b][k] +
                             n->beta * target[b][k];
        }
    }
}

/* A network with values that have no simple relations between them. */
static inline void ref_fill(struct ref_net *n)
{
    static const double w1[REF_IN][REF_H] = {{0.31, -0.72, 0.45, 0.13},
                                             {-0.27, 0.58, 0.91, -0.44},
                                             {0.66, 0.19, -0.38, 0.83}};
    static const double w2[REF_H][REF_OUT] = {
        {0.52, -0.61}, {-0.33, 0.74}, {0.87, 0.21}, {-0.49, -0.16}};
    static const double b1[REF_H] = {0.07, -0.12, 0.23, 0.05};
    static const double b2[REF_OUT] = {-0.09, 0.14};
    static const double dt[REF_H] = {0.21, 0.37, 0.5, 0.113};

    memcpy(n->W1, w1, sizeof w1);
    memcpy(n->W2, w2, sizeof w2);
    memcpy(n->b1, b1, sizeof b1);
    memcpy(n->b2, b2, sizeof b2);
    memcpy(n->dt_h, dt, sizeof dt);
    n->dt_y = 0.27;
    n->gamma = 0.8;
    n->beta = 0.65;
    n->leak = 0.05;
    n->mean = 0.2;
    n->sd = 0.45;
}

static const double ref_x[REF_B][REF_IN] = {{0.9, 0.15, 0.6},
                                            {0.05, 0.72, 0.33}};

#endif
