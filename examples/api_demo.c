/* The smallest complete use of libhtsep: make a data set, a network with
 * log-normal hidden time steps and a trainer, train, and evaluate.
 * Build: cc api_demo.c $(pkg-config --cflags --libs htsep) */
#include <stdio.h>
#include <stdlib.h>

#include <htsep.h>

#define CHECK(call)                                                          \
    do {                                                                     \
        htsep_status st_ = (call);                                           \
        if (st_ != HTSEP_OK) {                                               \
            fprintf(stderr, "%s: %s\n", #call, htsep_strerror(st_));         \
            exit(1);                                                         \
        }                                                                    \
    } while (0)

enum { N = 600, D = 8 };

int main(void)
{
    static float x[N * D];
    static uint8_t labels[N];
    htsep_dataset *data;
    htsep_sampler *sampler;
    htsep_network *net;
    htsep_trainer *trainer;
    double accuracy;

    /* Two classes: is the first half of the features brighter? */
    srand(1);
    for (int r = 0; r < N; r++) {
        float left = 0, right = 0;
        for (int i = 0; i < D; i++) {
            x[r * D + i] = (float)rand() / (float)RAND_MAX;
            *(i < D / 2 ? &left : &right) += x[r * D + i];
        }
        labels[r] = left > right;
    }
    CHECK(htsep_dataset_create(&data, x, labels, N, D, 2));

    CHECK(htsep_sampler_create(&sampler, HTSEP_DT_LOGNORMAL, 0.3, 0.1));
    /* As htsep-train's reproduce preset: no hidden unit too slow to settle
     * in the free phase, whose lag Adam would amplify. */
    CHECK(htsep_sampler_set_bounds(sampler, 0.1, 0.5));
    CHECK(htsep_sampler_seed(sampler, 1));
    CHECK(htsep_network_create(&net, D, 32, 2));
    CHECK(htsep_network_draw_dt(net, sampler));
    CHECK(htsep_network_init_weights(net, HTSEP_INIT_GLOROT, 1));
    CHECK(htsep_network_set_steps(net, 40, 8));

    CHECK(htsep_trainer_create(&trainer, net, HTSEP_PRESET_REPRODUCE));
    CHECK(htsep_trainer_set_rates(trainer, 0.01, 0.005));
    CHECK(htsep_trainer_set_batch(trainer, 32));
    CHECK(htsep_trainer_run(trainer, data, NULL, 20));
    CHECK(htsep_network_evaluate(net, data, &accuracy));
    printf("libhtsep %s: training accuracy %.1f%%\n", htsep_version_string(),
           100.0 * accuracy);

    htsep_trainer_free(trainer);
    htsep_network_free(net);
    htsep_sampler_free(sampler);
    htsep_dataset_free(data);
    return accuracy > 0.9 ? 0 : 1;
}
