/* Layout of the data set handle. */
#ifndef HTSEP_DATASET_IMPL_H
#define HTSEP_DATASET_IMPL_H

#include "common.h"

struct htsep_dataset {
    size_t count;      /* examples */
    size_t rows, cols; /* image shape; n_features = rows * cols */
    size_t n_features;
    size_t n_classes;
    float *x;          /* count x n_features, row-major */
    uint8_t *labels;   /* count */
};

/* Labels are bytes, so a data set has 1 to 256 classes. */
#define HTSEP__MAX_CLASSES 256

static inline int htsep__classes_ok(size_t n_classes)
{
    return n_classes >= 1 && n_classes <= HTSEP__MAX_CLASSES;
}

/* A data set with uninitialised arrays of the given shape. Returns
 * HTSEP_E_NULL, HTSEP_E_SIZE (a zero size, or count x rows x cols floats do
 * not fit in size_t), HTSEP_E_VALUE (n_classes) or HTSEP_E_NOMEM. */
htsep_status htsep__dataset_alloc(htsep_dataset **out, size_t count,
                                  size_t rows, size_t cols,
                                  size_t n_classes);

#endif
