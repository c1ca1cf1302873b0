/* Matrix products split over the network's thread pool. Each thread runs a
 * single-threaded CBLAS product on its own share of the output rows, so the
 * library's threads are the only ones working: OpenBLAS's own workers keep
 * spinning for a while after every call and would otherwise take the cores
 * that the relaxation kernel needs next. A share's product is rounded as
 * OpenBLAS rounds a product of that height, so results depend on the
 * thread count (never on anything else). */
#ifndef HTSEP_GEMM_H
#define HTSEP_GEMM_H

#include <stddef.h>

struct htsep__pool;

/* C (m x n) = alpha op(A) B + beta C, row-major; op(A) is A (m x k, lda)
 * or, with trans_a, A^T for A stored k x m. A NULL pool or a pool of one
 * part runs one product on the calling thread. */
void htsep__gemm(struct htsep__pool *pool, int trans_a, size_t m, size_t n,
                 size_t k, float alpha, const float *A, size_t lda,
                 const float *B, size_t ldb, float beta, float *C,
                 size_t ldc);

#endif
