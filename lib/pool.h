/* A small pool of worker threads that run one job over a fixed number of
 * parts. The caller takes part 0 itself; the workers sleep between jobs, so
 * an idle pool costs nothing. */
#ifndef HTSEP_POOL_H
#define HTSEP_POOL_H

#include "common.h"

struct htsep__pool;

typedef void (*htsep__pool_fn)(void *ctx, unsigned part, unsigned parts);

/* A pool for `parts` parts: parts - 1 worker threads. */
htsep_status htsep__pool_create(struct htsep__pool **out, unsigned parts);
void htsep__pool_free(struct htsep__pool *pool);

/* Runs fn(ctx, part, parts) for every part and returns when all are done. */
void htsep__pool_run(struct htsep__pool *pool, htsep__pool_fn fn, void *ctx);

unsigned htsep__pool_parts(const struct htsep__pool *pool);

#endif
