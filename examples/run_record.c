#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run_record.h"

int run_record_init(struct run_record *r, unsigned long planned)
{
    r->epochs_planned = planned;
    r->epochs_done = 0;
    r->epochs = calloc(planned ? planned : 1, sizeof *r->epochs);
    return r->epochs ? 0 : -1;
}

void run_record_free(struct run_record *r)
{
    free(r->epochs);
    r->epochs = NULL;
}

static double metric(const htsep_trainer *tr, htsep_metric m)
{
    double v = NAN;

    return htsep_trainer_metric(tr, m, &v) == HTSEP_OK ? v : NAN;
}

void run_record_epoch(struct run_record *r, const htsep_trainer *tr)
{
    struct epoch_figures *e;

    if (r->epochs_done >= r->epochs_planned)
        return;
    e = &r->epochs[r->epochs_done++];
    e->test_acc = metric(tr, HTSEP_METRIC_TEST_ACCURACY);
    e->train_acc = metric(tr, HTSEP_METRIC_TRAIN_ACCURACY);
    e->loss = metric(tr, HTSEP_METRIC_TRAIN_LOSS);
    e->train_s = metric(tr, HTSEP_METRIC_EPOCH_SECONDS);
    e->eval_s = metric(tr, HTSEP_METRIC_EVAL_SECONDS);
    e->residual = metric(tr, HTSEP_METRIC_FREE_RESIDUAL);
    e->dead = metric(tr, HTSEP_METRIC_DEAD_SHARE);
    e->saturated = metric(tr, HTSEP_METRIC_SATURATED_SHARE);
    e->w1_norm = metric(tr, HTSEP_METRIC_W1_NORM);
    e->w2_norm = metric(tr, HTSEP_METRIC_W2_NORM);
}

/* JSON has no NaN or infinity: they are written as null. */
static void number(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.10g", v);
    else
        fputs("null", f);
}

/* A JSON string; bytes from 0x80 up pass through (UTF-8 stays valid). */
static void string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* Six significant digits: enough for accuracies of 10,000 examples and
 * keeps a 50-epoch record a few kilobytes long. */
static void short_number(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.6g", v);
    else
        fputs("null", f);
}

static void series(FILE *f, const char *name, const struct run_record *r,
                   size_t offset)
{
    fprintf(f, ",\"%s\":[", name);
    for (unsigned i = 0; i < r->epochs_done; i++) {
        const char *base = (const char *)&r->epochs[i];
        double v;

        memcpy(&v, base + offset, sizeof v);
        if (i)
            fputc(',', f);
        short_number(f, v);
    }
    fputc(']', f);
}

void run_record_write(const struct run_record *r, FILE *f)
{
    static const struct {
        const char *name;
        size_t offset;
    } columns[] = {
        {"test_acc", offsetof(struct epoch_figures, test_acc)},
        {"train_acc", offsetof(struct epoch_figures, train_acc)},
        {"loss", offsetof(struct epoch_figures, loss)},
        {"free_residual", offsetof(struct epoch_figures, residual)},
        {"dead_share", offsetof(struct epoch_figures, dead)},
        {"saturated_share", offsetof(struct epoch_figures, saturated)},
        {"w1_norm", offsetof(struct epoch_figures, w1_norm)},
        {"w2_norm", offsetof(struct epoch_figures, w2_norm)},
    };
    const double final_acc =
        r->epochs_done ? r->epochs[r->epochs_done - 1].test_acc : NAN;
    double train_s = 0.0, eval_s = 0.0;

    for (unsigned i = 0; i < r->epochs_done; i++) {
        train_s += r->epochs[i].train_s;
        eval_s += r->epochs[i].eval_s;
    }

    fputs("{\"version\":", f);
    string(f, htsep_version_string());
    fputs(",\"dataset\":", f);
    string(f, r->label);
    fputs(",\"preset\":", f);
    string(f, r->preset);
    fputs(",\"dist\":", f);
    string(f, r->dist);
    fputs(",\"opt\":", f);
    if (r->opt)
        string(f, r->opt);
    else
        fputs("null", f);
    fputs(",\"init\":", f);
    string(f, r->init);
    fputs(",\"dt_y\":", f);
    number(f, r->dt_y);
    fputs(",\"dt_mu\":", f);
    number(f, r->dt_mu);
    fputs(",\"dt_sigma\":", f);
    number(f, r->dt_sigma);
    fputs(",\"dt_min\":", f);
    number(f, r->dt_min);
    fputs(",\"dt_max\":", f);
    number(f, r->dt_max);
    fputs(",\"rate_scale\":", f);
    number(f, r->rate_scale);
    fputs(",\"alpha1\":", f);
    number(f, r->alpha1);
    fputs(",\"alpha2\":", f);
    number(f, r->alpha2);
    fputs(",\"decay\":", f);
    number(f, r->decay);
    fputs(",\"input_mean\":", f);
    number(f, r->input_mean);
    fputs(",\"input_sd\":", f);
    number(f, r->input_sd);
    fprintf(f, ",\"seed\":%llu,\"batch\":%lu,\"hidden\":%lu,\"t_free\":%lu,"
               "\"t_clamped\":%lu,\"train_count\":%lu,\"test_count\":%lu,"
               "\"threads\":%d,\"epochs_planned\":%lu,\"epochs_done\":%u",
            r->seed, r->batch, r->hidden, r->t_free, r->t_clamped,
            r->train_count, r->test_count, r->threads, r->epochs_planned,
            r->epochs_done);
    fputs(",\"status\":", f);
    string(f, htsep_status_name(r->status));
    fprintf(f, ",\"diverged\":%s", r->status == HTSEP_E_DIVERGED ? "true"
                                                                  : "false");
    fputs(",\"final_test_acc\":", f);
    number(f, final_acc);
    fputs(",\"wall_s\":", f);
    number(f, r->wall_s);
    fputs(",\"train_s\":", f);
    number(f, train_s);
    fputs(",\"eval_s\":", f);
    number(f, eval_s);
    for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++)
        series(f, columns[i].name, r, columns[i].offset);
    fputs("}\n", f);
}

/* A new temporary file beside path, open for writing; its name goes to
 * *tmp_out. A unique name never touches a file of the user's. */
static FILE *open_temp(const char *path, char **tmp_out)
{
    size_t n = strlen(path) + sizeof ".XXXXXX";
    char *tmp = malloc(n);
    FILE *f = NULL;
    mode_t mask = umask(0);
    int fd;

    /* mkstemp makes the file private; the record gets the usual mode. */
    umask(mask);
    *tmp_out = NULL;
    if (!tmp)
        return NULL;
    snprintf(tmp, n, "%s.XXXXXX", path);
    fd = mkstemp(tmp);
    if (fd >= 0 && (fchmod(fd, 0666 & ~mask) != 0 ||
                    !(f = fdopen(fd, "w")))) {
        int saved = errno;

        close(fd);
        remove(tmp);
        errno = saved;
    }
    if (!f) {
        free(tmp);
        return NULL;
    }
    *tmp_out = tmp;
    return f;
}

/* The record is renamed over path at the end: only a missing path or a
 * regular file may be there (a rename would replace a folder's entry, a
 * device or a FIFO). */
static int replaceable(const char *path)
{
    struct stat st;

    if (*path == '\0') {
        errno = ENOENT;
        return 0;
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        errno = S_ISDIR(st.st_mode) ? EISDIR : EEXIST;
        return 0;
    }
    return 1;
}

int run_record_check_path(const char *path)
{
    char *tmp;
    FILE *f;

    if (!replaceable(path))
        return -1;
    f = open_temp(path, &tmp);
    if (!f)
        return -1;
    fclose(f);
    remove(tmp);
    free(tmp);
    return 0;
}

int run_record_save(const struct run_record *r, const char *path)
{
    char *tmp;
    FILE *f;
    int ok;

    if (!replaceable(path) || !(f = open_temp(path, &tmp)))
        return -1;
    run_record_write(r, f);
    ok = fflush(f) == 0 && !ferror(f);
    ok = fclose(f) == 0 && ok;
    if (ok && rename(tmp, path) != 0)
        ok = 0;
    if (!ok) {
        int saved = errno;

        remove(tmp);
        errno = saved;
    }
    free(tmp);
    return ok ? 0 : -1;
}
