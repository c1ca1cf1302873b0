/* Aligned float buffers: 64-byte alignment suits the BLAS kernels and keeps
 * rows of the state matrices from sharing cache lines at their start. */
#include <stdlib.h>
#include <string.h>

#include "common.h"

float *htsep__alloc_floats(size_t n)
{
    int overflow = 0;
    size_t bytes = htsep__mul_size(n == 0 ? 1 : n, sizeof(float), &overflow);
    void *p = NULL;

    if (overflow)
        return NULL;
    bytes = (bytes + 63) / 64 * 64;
    if (bytes == 0)
        return NULL;
    p = aligned_alloc(64, bytes);
    if (p)
        memset(p, 0, bytes);
    return p;
}

void htsep__free_floats(float *p)
{
    free(p);
}
