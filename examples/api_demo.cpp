// The same library from C++: RAII wrappers around the opaque handles.
// Build: c++ api_demo.cpp $(pkg-config --cflags --libs htsep)
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <vector>

#include <htsep.h>

namespace {

void check(htsep_status st)
{
    if (st != HTSEP_OK)
        throw std::runtime_error(htsep_strerror(st));
}

struct Free {
    void operator()(htsep_network *p) const { htsep_network_free(p); }
    void operator()(htsep_trainer *p) const { htsep_trainer_free(p); }
    void operator()(htsep_dataset *p) const { htsep_dataset_free(p); }
};

template <class T> using Handle = std::unique_ptr<T, Free>;

} // namespace

int main()
try {
    const size_t n = 400, d = 6;
    std::vector<float> x(n * d);
    std::vector<uint8_t> labels(n);
    for (size_t r = 0; r < n; r++) {
        for (size_t i = 0; i < d; i++)
            x[r * d + i] = float((r * 7 + i * 13) % 17) / 16.0f;
        labels[r] = x[r * d] > x[r * d + 1];
    }

    htsep_dataset *raw_data = nullptr;
    check(htsep_dataset_create(&raw_data, x.data(), labels.data(), n, d, 2));
    Handle<htsep_dataset> data(raw_data);

    htsep_network *raw_net = nullptr;
    check(htsep_network_create(&raw_net, d, 24, 2));
    Handle<htsep_network> net(raw_net);
    check(htsep_network_init_weights(net.get(), HTSEP_INIT_GLOROT, 3));
    check(htsep_network_set_steps(net.get(), 40, 8));

    htsep_trainer *raw_tr = nullptr;
    check(htsep_trainer_create(&raw_tr, net.get(), HTSEP_PRESET_REPRODUCE));
    Handle<htsep_trainer> trainer(raw_tr);
    check(htsep_trainer_set_rates(trainer.get(), 0.01, 0.005));
    check(htsep_trainer_set_batch(trainer.get(), 20));
    check(htsep_trainer_run(trainer.get(), data.get(), nullptr, 20));

    double accuracy = 0.0;
    check(htsep_network_evaluate(net.get(), data.get(), &accuracy));
    std::printf("libhtsep %s from C++: training accuracy %.1f%%\n",
                htsep_version_string(), 100.0 * accuracy);
    return accuracy > 0.9 ? 0 : 1;
} catch (const std::exception &e) {
    std::fprintf(stderr, "api_demo: %s\n", e.what());
    return 1;
}
