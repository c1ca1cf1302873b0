/* Seeds of the independent random streams. One user seed drives weights,
 * time steps and shuffling through separate generators, so that the same
 * seed under two dt distributions starts from the same weights and sees the
 * same batches (docs/algorithm.md). */
#include "common.h"

/* splitmix64: a bijective mix, so distinct (seed, stream) pairs give
 * well-separated generator seeds. */
static uint64_t splitmix64(uint64_t x)
{
    x += UINT64_C(0x9e3779b97f4a7c15);
    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

unsigned long htsep__stream_seed(uint64_t seed, enum htsep__stream stream)
{
    uint64_t mixed = splitmix64(splitmix64(seed) ^ (uint64_t)stream);

    /* mt19937 keeps 32 bits of its seed; 0 would select GSL's default. */
    unsigned long s = (unsigned long)(mixed & 0xffffffffu);
    return s == 0 ? 1 : s;
}
