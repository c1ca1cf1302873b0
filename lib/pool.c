#include <pthread.h>
#include <stdlib.h>

#include "pool.h"

struct worker {
    struct htsep__pool *pool;
    unsigned part;
    pthread_t thread;
};

struct htsep__pool {
    unsigned parts;
    struct worker *workers;  /* parts - 1 of them */
    unsigned started;        /* workers whose thread exists */
    pthread_mutex_t lock;
    pthread_cond_t wake, finished;
    unsigned long job;       /* bumped for every job */
    unsigned pending;        /* workers still busy with the job */
    int stopping;
    htsep__pool_fn fn;
    void *ctx;
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct htsep__pool *p = w->pool;
    unsigned long seen = 0;

    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->job == seen && !p->stopping)
            pthread_cond_wait(&p->wake, &p->lock);
        if (p->stopping)
            break;
        seen = p->job;
        pthread_mutex_unlock(&p->lock);
        p->fn(p->ctx, w->part, p->parts);
        pthread_mutex_lock(&p->lock);
        if (--p->pending == 0)
            pthread_cond_signal(&p->finished);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

void htsep__pool_free(struct htsep__pool *pool)
{
    if (!pool)
        return;
    pthread_mutex_lock(&pool->lock);
    pool->stopping = 1;
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);
    for (unsigned i = 0; i < pool->started; i++)
        pthread_join(pool->workers[i].thread, NULL);
    pthread_cond_destroy(&pool->finished);
    pthread_cond_destroy(&pool->wake);
    pthread_mutex_destroy(&pool->lock);
    free(pool->workers);
    free(pool);
}

htsep_status htsep__pool_create(struct htsep__pool **out, unsigned parts)
{
    struct htsep__pool *p;

    *out = NULL;
    if (parts == 0)
        return HTSEP_E_VALUE;
    p = calloc(1, sizeof *p);
    if (!p)
        return HTSEP_E_NOMEM;
    p->parts = parts;
    p->workers = calloc(parts, sizeof *p->workers);
    if (!p->workers || pthread_mutex_init(&p->lock, NULL) != 0) {
        free(p->workers);
        free(p);
        return HTSEP_E_NOMEM;
    }
    pthread_cond_init(&p->wake, NULL);
    pthread_cond_init(&p->finished, NULL);
    for (unsigned i = 0; i + 1 < parts; i++) {
        struct worker *w = &p->workers[i];

        w->pool = p;
        w->part = i + 1;
        if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
            htsep__pool_free(p);
            return HTSEP_E_NOMEM;
        }
        p->started++;
    }
    *out = p;
    return HTSEP_OK;
}

void htsep__pool_run(struct htsep__pool *pool, htsep__pool_fn fn, void *ctx)
{
    pthread_mutex_lock(&pool->lock);
    pool->fn = fn;
    pool->ctx = ctx;
    pool->pending = pool->parts - 1;
    pool->job++;
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);

    fn(ctx, 0, pool->parts);

    pthread_mutex_lock(&pool->lock);
    while (pool->pending > 0)
        pthread_cond_wait(&pool->finished, &pool->lock);
    pthread_mutex_unlock(&pool->lock);
}

unsigned htsep__pool_parts(const struct htsep__pool *pool)
{
    return pool ? pool->parts : 1;
}
