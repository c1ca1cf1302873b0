/* Layout of the trainer handle, shared by trainer.c (settings and the epoch
 * loop) and learning.c (one batch: both phases, the rule, the update). */
#ifndef HTSEP_TRAINER_IMPL_H
#define HTSEP_TRAINER_IMPL_H

#include <gsl/gsl_rng.h>

#include "network_impl.h"
#include "optimizer.h"

struct htsep_trainer {
    htsep_network *net;

    /* Settings. */
    struct htsep__opt_settings opt;
    double alpha1, alpha2, decay;
    size_t batch;
    uint64_t seed;
    int divide_by_beta;
    htsep_norm norm_mode;
    double norm_mean, norm_sd;
    int threads;
    htsep_progress_fn progress;
    void *user;

    /* Progress of the run. */
    unsigned epoch;          /* epochs completed */
    unsigned epochs_planned;
    size_t batch_index, batch_count;
    int norm_applied;
    double loss_sum;         /* sum of 0.5 |y_free - t|^2 this epoch */
    size_t seen, correct;    /* examples this epoch, correct free guesses */
    double test_accuracy, epoch_seconds, eval_seconds;
    int diverged;            /* the last run stopped on a non-finite value */
    struct htsep__stability {
        double free_residual, dead_share, saturated_share;
        double w1_norm, w2_norm;
    } stab;                  /* of the last epoch; NaN before the first */

    gsl_rng *shuffle;
    size_t *order;           /* permutation of the training set */
    size_t order_len;

    /* Batch buffers, capacity rows each. */
    size_t capacity;
    float *xb;               /* capacity x n_in: raw inputs */
    float *tb;               /* capacity x n_out: one-hot targets */
    uint8_t *lb;             /* capacity: labels */
    float *h, *y;            /* the running state */
    float *h_free, *y_free;  /* free-phase state, then clamped - free */

    /* Update directions and optimiser state, one array per parameter, in
     * the order of htsep__params. */
    float *grad[HTSEP__PARAMS];
    float *m[HTSEP__PARAMS];
    float *v[HTSEP__PARAMS];
};

/* Makes sure the batch buffers hold batch rows. */
htsep_status htsep__trainer_reserve(htsep_trainer *tr, size_t batch);

/* Trains on the batch already in tr->xb and tr->tb (labels for the
 * accuracy count) at the current rates. Allocates nothing. */
htsep_status htsep__learn_batch(htsep_trainer *tr, const uint8_t *labels,
                                size_t batch);

/* Learning rates of the current epoch. */
double htsep__rate(const htsep_trainer *tr, int layer);

/* The stability figures are measured on the first HTSEP__PROBE_ROWS
 * examples of the test set (of the training set when there is none). */
#define HTSEP__PROBE_ROWS 1000
size_t htsep__probe_rows(const htsep_dataset *probe);
/* Sets every stability figure to NaN: none measured, or the run diverged. */
void htsep__stability_clear(htsep_trainer *tr);
/* Fills tr->stab; the network's workspace must hold the probe's rows.
 * Returns HTSEP_E_DIVERGED, the figures NaN, when the probe's state is not
 * finite. */
htsep_status htsep__measure_stability(htsep_trainer *tr,
                                      const htsep_dataset *probe);

#endif
