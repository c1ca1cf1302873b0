/* The per-example relaxation kernel. Once the drive x W1 + b1 is known,
 * every example relaxes independently of the others, so the kernel runs
 * all steps of one example while its state stays in the first-level cache,
 * instead of sweeping the whole batch through memory at every step. */
#ifndef HTSEP_KERNEL_H
#define HTSEP_KERNEL_H

#include <stddef.h>

struct htsep__relax_args {
    size_t n_h, n_out;
    const float *W2T;    /* n_out x n_h: W2 transposed, rows contiguous */
    const float *b2;     /* n_out */
    const float *dt_h;   /* n_h */
    float gamma, leak, dt_y, beta;
    unsigned steps;
};

/* Relaxes rows [first, last) of a batch in place. drive, h: rows of n_h;
 * y, target (NULL for free dynamics): rows of n_out. scratch holds
 * HTSEP__KERNEL_SCRATCH(n_out) floats, 32-byte aligned. */
/* 32 broadcast vectors and 4 outputs per output unit need 36 n_out; 40
 * keeps every thread's slice 32-byte aligned, whatever n_out is. */
#define HTSEP__KERNEL_SCRATCH(n_out) (40 * (n_out))
void htsep__relax_rows(const struct htsep__relax_args *a, const float *drive,
                       float *h, float *y, const float *target, size_t first,
                       size_t last, float *scratch);

#endif
