/* Internal helpers shared by every module of the library. */
#ifndef HTSEP_COMMON_H
#define HTSEP_COMMON_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "htsep.h"

/* Functions shared between files but not exported carry the htsep__
 * prefix; -fvisibility=hidden and the version script keep them local. */

/* a * b, or 0 with *overflow set when the product does not fit. */
static inline size_t htsep__mul_size(size_t a, size_t b, int *overflow)
{
    if (a != 0 && b > SIZE_MAX / a) {
        *overflow = 1;
        return 0;
    }
    return a * b;
}

static inline int htsep__finite(double v)
{
    return isfinite(v);
}

/* Zero-initialised allocation of n floats, 64-byte aligned; NULL on
 * failure or when n * sizeof(float) overflows. */
float *htsep__alloc_floats(size_t n);
void htsep__free_floats(float *p);

/* Independent random streams of one seed (docs/algorithm.md). */
enum htsep__stream {
    HTSEP__STREAM_WEIGHTS = 1,
    HTSEP__STREAM_DT = 2,
    HTSEP__STREAM_SHUFFLE = 3
};

/* The GSL seed of a stream: a splitmix64 mix of seed and stream. */
unsigned long htsep__stream_seed(uint64_t seed, enum htsep__stream stream);

/* Sets the BLAS's thread count (blas.c). */
void htsep__blas_set_threads(int threads);

/* Whether a save may rename a new file onto path: nothing is there, or a
 * regular file (replaceable.c). */
int htsep__replaceable(const char *path);

#endif
