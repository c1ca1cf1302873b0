/* The per-example relaxation kernel. Once the drive x W1 + b1 is known,
 * every example relaxes independently of the others, so the kernel runs
 * all steps of a few examples while their state stays in cache, instead of
 * sweeping the whole batch through memory at every step. */
#ifndef HTSEP_KERNEL_H
#define HTSEP_KERNEL_H

#include <stddef.h>

struct htsep__relax_args {
    size_t n_h, n_out;
    const float *W2;     /* n_h x n_out, rows contiguous */
    const float *b2;     /* n_out */
    const float *dt_h;   /* n_h */
    float gamma, leak, dt_y, beta;
    unsigned steps;
};

/* Relaxes rows [first, last) of a batch in place. drive, h: rows of n_h;
 * y, target (NULL for free dynamics): rows of n_out. scratch holds
 * HTSEP__KERNEL_SCRATCH(n_h, n_out) floats, 32-byte aligned: a block of
 * eight examples' drive and hidden state and four sets of output vectors.
 * The size is a multiple of eight floats, so slices of one allocation
 * stay aligned. */
#define HTSEP__KERNEL_SCRATCH(n_h, n_out) (16 * (n_h) + 32 * (n_out))
void htsep__relax_rows(const struct htsep__relax_args *a, const float *drive,
                       float *h, float *y, const float *target, size_t first,
                       size_t last, float *scratch);

#endif
