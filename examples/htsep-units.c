/*
 * htsep-units: how a saved network's hidden units differ by time step.
 *
 *   htsep-units [--top N] CHECKPOINT
 *
 * Groups the hidden units into bands of their time step dt and prints, per
 * band, how many units it holds and the mean and largest norm of their
 * input-weight columns (W1's column j feeds hidden unit j); then the N
 * units (default 8) with the largest columns, with their dt and bias.
 * Units whose weights grow without bound stand out here: see
 * docs/results.md on the normal distribution's slow units.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htsep.h>

/* Band edges; the last band also holds dt = 1. */
static const double band_edges[] = {0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 1.0};
#define BANDS (sizeof band_edges / sizeof band_edges[0] - 1)

struct unit {
    size_t index;
    float dt, bias;
    double column_norm;
};

static int larger_column_first(const void *a, const void *b)
{
    double x = ((const struct unit *)a)->column_norm;
    double y = ((const struct unit *)b)->column_norm;

    return (x < y) - (x > y);
}

static size_t band_of(double dt)
{
    size_t b = 0;

    while (b + 1 < BANDS && dt >= band_edges[b + 1])
        b++;
    return b;
}

static int usage(void)
{
    fputs("usage: htsep-units [--top N] CHECKPOINT\n", stderr);
    return 2;
}

/* Reads the network's time steps, W1 column norms and biases into units. */
static htsep_status read_units(const htsep_network *net, struct unit *units,
                               size_t n_in, size_t n_h, double *w1_norm)
{
    float *w1 = malloc(n_in * n_h * sizeof *w1);
    float *dt = malloc(n_h * sizeof *dt);
    float *b1 = malloc(n_h * sizeof *b1);
    htsep_status st = HTSEP_E_NOMEM;

    if (w1 && dt && b1 &&
        (st = htsep_network_get_weights(net, 1, w1, n_in * n_h)) == HTSEP_OK &&
        (st = htsep_network_get_dt(net, dt, n_h)) == HTSEP_OK &&
        (st = htsep_network_get_biases(net, 1, b1, n_h)) == HTSEP_OK) {
        double total = 0.0;

        for (size_t j = 0; j < n_h; j++) {
            double sum = 0.0;

            for (size_t i = 0; i < n_in; i++)
                sum += (double)w1[i * n_h + j] * w1[i * n_h + j];
            units[j] = (struct unit){j, dt[j], b1[j], sqrt(sum)};
            total += sum;
        }
        *w1_norm = sqrt(total);
    }
    free(w1);
    free(dt);
    free(b1);
    return st;
}

static void print_bands(const struct unit *units, size_t n_h)
{
    size_t count[BANDS] = {0};
    double sum[BANDS] = {0}, largest[BANDS] = {0};

    for (size_t j = 0; j < n_h; j++) {
        size_t b = band_of(units[j].dt);

        count[b]++;
        sum[b] += units[j].column_norm;
        if (units[j].column_norm > largest[b])
            largest[b] = units[j].column_norm;
    }
    printf("# dt band        units  mean |W1 column|  largest |W1 column|\n");
    for (size_t b = 0; b < BANDS; b++) {
        printf("[%.2f, %.2f%c  %6zu", band_edges[b], band_edges[b + 1],
               b + 1 == BANDS ? ']' : ')', count[b]);
        if (count[b])
            printf("  %16.3f  %19.3f\n", sum[b] / (double)count[b],
                   largest[b]);
        else
            printf("  %16s  %19s\n", "-", "-");
    }
}

int main(int argc, char **argv)
{
    unsigned long top = 8;
    const char *path = NULL;
    htsep_network *net = NULL;
    struct unit *units = NULL;
    size_t n_in, n_h, n_out;
    double w1_norm = 0.0;
    htsep_status st;
    int rc = 1;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--top") == 0 && i + 1 < argc) {
            char *end;

            errno = 0;
            if (!isdigit((unsigned char)argv[++i][0]) ||
                (top = strtoul(argv[i], &end, 10), *end != '\0') ||
                errno == ERANGE) {
                fprintf(stderr, "htsep-units: --top: bad value '%s'\n",
                        argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "--help") == 0) {
            fputs("usage: htsep-units [--top N] CHECKPOINT\n", stdout);
            return 0;
        } else if (argv[i][0] == '-' || path) {
            return usage();
        } else {
            path = argv[i];
        }
    }
    if (!path)
        return usage();
    st = htsep_network_load(&net, path);
    if (st == HTSEP_OK)
        st = htsep_network_sizes(net, &n_in, &n_h, &n_out);
    if (st == HTSEP_OK) {
        units = malloc(n_h * sizeof *units);
        st = units ? read_units(net, units, n_in, n_h, &w1_norm)
                   : HTSEP_E_NOMEM;
    }
    if (st != HTSEP_OK) {
        fprintf(stderr, "htsep-units: %s: %s\n", path, htsep_strerror(st));
        goto done;
    }
    printf("# %s: %zu-%zu-%zu network, |W1| %.3f\n", path, n_in, n_h, n_out,
           w1_norm);
    print_bands(units, n_h);
    qsort(units, n_h, sizeof *units, larger_column_first);
    if (top > n_h)
        top = n_h;
    printf("# the %lu units with the largest input-weight columns\n", top);
    printf("#  unit      dt  |W1 column|        b1\n");
    for (size_t k = 0; k < top; k++)
        printf("%7zu  %6.4f  %11.3f  %8.3f\n", units[k].index,
               (double)units[k].dt, units[k].column_norm,
               (double)units[k].bias);
    rc = 0;
done:
    free(units);
    htsep_network_free(net);
    return rc;
}
