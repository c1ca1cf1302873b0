/* Data sets in memory: count examples of rows x cols float
 * values, row-major, each with a byte label below n_classes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataset_impl.h"

htsep_status htsep__dataset_alloc(htsep_dataset **out, size_t count,
                                  size_t rows, size_t cols,
                                  size_t n_classes)
{
    int overflow = 0;
    size_t n_features = htsep__mul_size(rows, cols, &overflow);
    size_t n_values = htsep__mul_size(count, n_features, &overflow);
    htsep_dataset *data;

    if (!out)
        return HTSEP_E_NULL;
    *out = NULL;
    /* The float array's byte size must fit too, or the allocation would
     * fail as if memory were short. */
    if (count == 0 || n_features == 0 || overflow ||
        n_values > SIZE_MAX / sizeof(float))
        return HTSEP_E_SIZE;
    if (!htsep__classes_ok(n_classes))
        return HTSEP_E_VALUE;

    data = calloc(1, sizeof *data);
    if (!data)
        return HTSEP_E_NOMEM;
    data->x = htsep__alloc_floats(n_values);
    data->labels = malloc(count);
    if (!data->x || !data->labels) {
        htsep_dataset_free(data);
        return HTSEP_E_NOMEM;
    }
    data->count = count;
    data->rows = rows;
    data->cols = cols;
    data->n_features = n_features;
    data->n_classes = n_classes;
    *out = data;
    return HTSEP_OK;
}

HTSEP_API htsep_status htsep_dataset_create(htsep_dataset **out,
                                            const float *x,
                                            const uint8_t *labels,
                                            size_t count, size_t n_features,
                                            size_t n_classes)
{
    int overflow = 0;
    size_t n_values = htsep__mul_size(count, n_features, &overflow);
    htsep_dataset *data;
    htsep_status st;

    if (!out)
        return HTSEP_E_NULL;
    *out = NULL;
    if (!x || !labels)
        return HTSEP_E_NULL;
    if (count == 0 || n_features == 0 || overflow)
        return HTSEP_E_SIZE;
    if (!htsep__classes_ok(n_classes))
        return HTSEP_E_VALUE;

    /* Check everything before allocating, so a bad input costs nothing. */
    for (size_t i = 0; i < n_values; i++)
        if (!isfinite(x[i]))
            return HTSEP_E_VALUE;
    for (size_t i = 0; i < count; i++)
        if (labels[i] >= n_classes)
            return HTSEP_E_IDX_LABEL;

    st = htsep__dataset_alloc(&data, count, 1, n_features, n_classes);
    if (st != HTSEP_OK)
        return st;
    memcpy(data->x, x, n_values * sizeof(float));
    memcpy(data->labels, labels, count);
    *out = data;
    return HTSEP_OK;
}

HTSEP_API void htsep_dataset_free(htsep_dataset *data)
{
    if (!data)
        return;
    htsep__free_floats(data->x);
    free(data->labels);
    free(data);
}

HTSEP_API htsep_status htsep_dataset_subset(htsep_dataset **out,
                                            const htsep_dataset *data,
                                            size_t first, size_t count)
{
    htsep_dataset *sub;
    htsep_status st;

    if (!out)
        return HTSEP_E_NULL;
    *out = NULL;
    if (!data)
        return HTSEP_E_NULL;
    /* Written so that first + count cannot wrap around. */
    if (count == 0 || first > data->count || count > data->count - first)
        return HTSEP_E_SIZE;

    st = htsep__dataset_alloc(&sub, count, data->rows, data->cols,
                              data->n_classes);
    if (st != HTSEP_OK)
        return st;
    memcpy(sub->x, data->x + first * data->n_features,
           count * data->n_features * sizeof(float));
    memcpy(sub->labels, data->labels + first, count);
    *out = sub;
    return HTSEP_OK;
}

/* Two passes in double: the mean first, then squared deviations from it,
 * which keeps the variance accurate over millions of values. */
HTSEP_API htsep_status htsep_dataset_stats(const htsep_dataset *data,
                                           double *mean, double *sd)
{
    size_t n;
    double sum = 0.0, ss = 0.0, m;

    if (!data || !mean || !sd)
        return HTSEP_E_NULL;

    n = data->count * data->n_features;
    for (size_t i = 0; i < n; i++)
        sum += data->x[i];
    m = sum / (double)n;
    for (size_t i = 0; i < n; i++) {
        double d = data->x[i] - m;

        ss += d * d;
    }
    *mean = m;
    *sd = sqrt(ss / (double)n);
    return HTSEP_OK;
}

HTSEP_API size_t htsep_dataset_count(const htsep_dataset *data)
{
    return data ? data->count : 0;
}

HTSEP_API size_t htsep_dataset_features(const htsep_dataset *data)
{
    return data ? data->n_features : 0;
}

HTSEP_API size_t htsep_dataset_classes(const htsep_dataset *data)
{
    return data ? data->n_classes : 0;
}

HTSEP_API size_t htsep_dataset_rows(const htsep_dataset *data)
{
    return data ? data->rows : 0;
}

HTSEP_API size_t htsep_dataset_cols(const htsep_dataset *data)
{
    return data ? data->cols : 0;
}

HTSEP_API const float *htsep_dataset_images(const htsep_dataset *data)
{
    return data ? data->x : NULL;
}

HTSEP_API const uint8_t *htsep_dataset_labels(const htsep_dataset *data)
{
    return data ? data->labels : NULL;
}
