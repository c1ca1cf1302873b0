/* The one place that talks to OpenBLAS beyond CBLAS itself. Kept apart
 * because GSL's headers and OpenBLAS's cblas.h both define the CBLAS
 * enumerations and cannot be included together. */
#include <cblas.h>

#include "common.h"

void htsep__blas_set_threads(int threads)
{
    openblas_set_num_threads(threads);
}
