/*
 * htsep-dt-hist: histograms of the hidden time steps the sampler draws,
 * the data of the paper's Figure 1.
 *
 *   htsep-dt-hist [--count N] [--bins B] [--mu X] [--sigma X] [--seed N]
 *
 * Draws N clamped time steps (default 1,000,000) from the normal,
 * log-normal and gamma distributions with mean mu (0.3) and sd sigma (0.1),
 * clamped into [0.001, 0.5], and prints one line per bin of [0, 0.5]:
 * the bin's centre, then each distribution's density (share of draws in
 * the bin over the bin's width). The last bin holds the draws clamped to
 * 0.5; a comment line gives each distribution's share exactly at 0.5.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htsep.h>

#define DISTS 3
#define DT_MAX 0.5

static const char usage[] =
    "usage: htsep-dt-hist [--count N] [--bins B] [--mu X] [--sigma X] "
    "[--seed N]\n";

/* A finite decimal number and nothing else. */
static int parse_number(const char *s, double *out)
{
    char *end;

    errno = 0;
    *out = strtod(s, &end);
    return *s != '\0' && *end == '\0' && errno == 0 && isfinite(*out);
}

static int parse_count(const char *s, unsigned long *out)
{
    char *end;

    *out = strtoul(s, &end, 10);
    return *s != '-' && end != s && *end == '\0' && *out > 0;
}

int main(int argc, char **argv)
{
    static const htsep_dt_dist dists[DISTS] = {
        HTSEP_DT_NORMAL, HTSEP_DT_LOGNORMAL, HTSEP_DT_GAMMA};
    unsigned long count = 1000000, bins = 50, seed = 1;
    double mu = 0.3, sigma = 0.1;
    double *density;
    double at_max[DISTS] = {0};
    float *dt;

    for (int i = 1; i < argc; i += 2) {
        const char *v = i + 1 < argc ? argv[i + 1] : "";
        int ok = 1;

        if (strcmp(argv[i], "--count") == 0)
            ok = parse_count(v, &count);
        else if (strcmp(argv[i], "--bins") == 0)
            ok = parse_count(v, &bins);
        else if (strcmp(argv[i], "--seed") == 0)
            ok = parse_count(v, &seed);
        else if (strcmp(argv[i], "--mu") == 0)
            ok = parse_number(v, &mu);
        else if (strcmp(argv[i], "--sigma") == 0)
            ok = parse_number(v, &sigma);
        else {
            int help = strcmp(argv[i], "--help") == 0;

            fputs(usage, help ? stdout : stderr);
            return help ? 0 : 2;
        }
        if (!ok) {
            fprintf(stderr, "htsep-dt-hist: %s: bad value '%s'\n", argv[i],
                    v);
            return 2;
        }
    }
    dt = malloc(count * sizeof *dt);
    density = calloc(bins * DISTS, sizeof *density);
    if (!dt || !density) {
        fprintf(stderr, "htsep-dt-hist: out of memory\n");
        return 1;
    }
    for (int d = 0; d < DISTS; d++) {
        htsep_sampler *s = NULL;
        htsep_status st = htsep_sampler_create(&s, dists[d], mu, sigma);

        if (st == HTSEP_OK)
            st = htsep_sampler_seed(s, seed);
        if (st == HTSEP_OK)
            st = htsep_sampler_draw(s, dt, count);
        htsep_sampler_free(s);
        if (st != HTSEP_OK) {
            fprintf(stderr, "htsep-dt-hist: %s (mu %g, sigma %g): %s\n",
                    htsep_dt_dist_name(dists[d]), mu, sigma,
                    htsep_strerror(st));
            return 1;
        }
        for (unsigned long i = 0; i < count; i++) {
            unsigned long b = (unsigned long)(dt[i] / DT_MAX * (double)bins);

            if (b >= bins)
                b = bins - 1;
            density[b * DISTS + d] += 1.0;
            at_max[d] += dt[i] >= (float)DT_MAX;
        }
    }
    printf("# htsep-dt-hist: libhtsep %s, %lu draws each, mu %g, sigma %g, "
           "seed %lu, clamped to [0.001, 0.5]\n",
           htsep_version_string(), count, mu, sigma, seed);
    printf("# share at 0.5: normal %.4f lognormal %.4f gamma %.4f\n",
           at_max[0] / (double)count, at_max[1] / (double)count,
           at_max[2] / (double)count);
    printf("# dt normal lognormal gamma (density)\n");
    for (unsigned long b = 0; b < bins; b++) {
        double width = DT_MAX / (double)bins;

        printf("%.5f", ((double)b + 0.5) * width);
        for (int d = 0; d < DISTS; d++)
            printf(" %.5f", density[b * DISTS + d] / (double)count / width);
        putchar('\n');
    }
    free(density);
    free(dt);
    return 0;
}
