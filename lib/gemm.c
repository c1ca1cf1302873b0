#include <cblas.h>

#include "gemm.h"
#include "pool.h"

/* Shares are multiples of 16 rows: no two threads write to one cache line
 * of C, and a share is never thinner than OpenBLAS's widest tile. */
#define ROW_GRAIN 16

struct gemm_job {
    int trans_a;
    size_t m, n, k, lda, ldb, ldc;
    float alpha, beta;
    const float *A, *B;
    float *C;
};

static void run_rows(const struct gemm_job *g, size_t first, size_t last)
{
    /* Row i of op(A) is row i of A, or column i of A when transposed. */
    const float *a = g->A + (g->trans_a ? first : first * g->lda);

    if (first >= last)
        return;
    cblas_sgemm(CblasRowMajor, g->trans_a ? CblasTrans : CblasNoTrans,
                CblasNoTrans, (int)(last - first), (int)g->n, (int)g->k,
                g->alpha, a, (int)g->lda, g->B, (int)g->ldb, g->beta,
                g->C + first * g->ldc, (int)g->ldc);
}

static void gemm_part(void *ctx, unsigned part, unsigned parts)
{
    const struct gemm_job *g = ctx;
    size_t grains = (g->m + ROW_GRAIN - 1) / ROW_GRAIN;
    size_t first = grains * part / parts * ROW_GRAIN;
    size_t last = grains * (part + 1) / parts * ROW_GRAIN;

    run_rows(g, first, last < g->m ? last : g->m);
}

void htsep__gemm(struct htsep__pool *pool, int trans_a, size_t m, size_t n,
                 size_t k, float alpha, const float *A, size_t lda,
                 const float *B, size_t ldb, float beta, float *C,
                 size_t ldc)
{
    struct gemm_job g = {trans_a, m, n, k, lda, ldb, ldc, alpha, beta,
                         A, B, C};

    if (htsep__pool_parts(pool) > 1 && m > ROW_GRAIN)
        htsep__pool_run(pool, gemm_part, &g);
    else
        run_rows(&g, 0, m);
}
