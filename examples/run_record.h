/* The record of one training run for htsep-train --json: its settings,
 * the figures of every epoch and how it ended, written as one JSON line. */
#ifndef HTSEP_RUN_RECORD_H
#define HTSEP_RUN_RECORD_H

#include <stdio.h>

#include <htsep.h>

struct epoch_figures {
    double test_acc, train_acc, loss, train_s, eval_s;
    double residual, dead, saturated, w1_norm, w2_norm;
};

struct run_record {
    /* Settings, filled by the caller; opt NULL and decay NaN mean the
     * preset's. */
    const char *label, *preset, *dist, *opt, *init;
    double dt_y, dt_mu, dt_sigma, dt_min, dt_max, rate_scale;
    double alpha1, alpha2, decay;
    double input_mean, input_sd;
    unsigned long long seed;
    unsigned long batch, hidden, t_free, t_clamped, train_count, test_count;
    unsigned long epochs_planned;
    int threads;
    /* Filled as the run goes. */
    struct epoch_figures *epochs;
    unsigned epochs_done;
    double wall_s;
    htsep_status status;
};

/* Allocates room for `planned` epochs; returns 0 or -1. */
int run_record_init(struct run_record *r, unsigned long planned);
void run_record_free(struct run_record *r);
/* Reads the trainer's metrics of the epoch just ended. */
void run_record_epoch(struct run_record *r, const htsep_trainer *tr);
/* Writes the record as one JSON line. */
void run_record_write(const struct run_record *r, FILE *f);
/* Finds out before a run whether its record can be written: creates and
 * removes a temporary file as run_record_save would. 0 or -1 (errno;
 * EEXIST when path names something other than a regular file, which the
 * rename would replace). */
int run_record_check_path(const char *path);
/* Writes the line to path through a temporary file renamed over it, so a
 * reader never sees half a record; returns 0 or -1 (errno set, as above). */
int run_record_save(const struct run_record *r, const char *path);

#endif
