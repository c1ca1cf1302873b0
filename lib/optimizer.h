/* Optimiser steps (docs/algorithm.md) on one parameter array at a time. Each
 * moves p up the direction g: the predictive rule's clamped-minus-free
 * estimate is the negative of a loss gradient. */
#ifndef HTSEP_OPTIMIZER_H
#define HTSEP_OPTIMIZER_H

#include "common.h"

struct htsep__opt_settings {
    htsep_optimizer kind;
    double momentum;
    double beta1, beta2, eps;
    unsigned long t; /* Adam's step count, starting at 1 */
};

/* One step on n parameters p with direction g at rate lr; m and v are the
 * parameter's optimiser state (n values each, zero at the start). */
void htsep__opt_step(const struct htsep__opt_settings *o, float *p,
                     const float *g, float *m, float *v, size_t n,
                     double lr);

#endif
