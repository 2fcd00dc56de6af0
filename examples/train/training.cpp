#include "training.hpp"

#include "optimizers.hpp"
#include "softmax_regression.hpp"

#include "random_deviates.hpp"
#include "support/progress.hpp"

#include <algorithm>
#include <memory>
#include <span>
#include <stdexcept>

namespace quench::train {

TrainingResult train_methods(const TrainOptions& o, const Dataset& train, const Dataset& test, double L) {
    const std::size_t B = o.batch_size();
    if (B > train.size()) throw std::runtime_error("--batch exceeds the training set");
    const std::size_t steps_per_epoch = train.size() / B;

    std::vector<std::unique_ptr<Optimizer>> methods;
    methods.push_back(std::make_unique<QuenchingSgd>(parameters, o.batch, L, o.warmup));
    methods.push_back(std::make_unique<PlainSgd>(1 / L));
    methods.push_back(std::make_unique<Adam>(parameters, o.adam_rate));
    std::vector<std::vector<double>> weights(methods.size(), std::vector<double>(parameters, 0.0));
    TrainingResult result;
    for (const auto& m : methods) result.methods.push_back({m->name(), {}});
    auto record = [&](std::size_t m, std::size_t epoch) {
        const Evaluation tr = evaluate(weights[m], train), te = evaluate(weights[m], test);
        result.methods[m].records.push_back({epoch, static_cast<double>(epoch * steps_per_epoch * B), tr.loss, te.loss,
                                             tr.accuracy, te.accuracy, methods[m]->mean_rate(),
                                             methods[m]->median_batch_star()});
    };
    for (std::size_t m = 0; m < methods.size(); ++m) record(m, 0);

    // One minibatch order for all methods: a fresh shuffle per epoch.
    quench::examples::Random rng(o.seed + 1);
    std::vector<std::size_t> order(train.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::vector<double> grad(parameters);
    tools::Progress bar("training (3 methods)", "epoch", o.epochs);
    QuenchingTrace& q = result.quenching;
    std::uint64_t step_count = 0, next_log = 1;
    for (std::size_t epoch = 1; epoch <= o.epochs; ++epoch) {
        for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
        for (std::size_t s = 0; s < steps_per_epoch; ++s) {
            const std::span<const std::size_t> mb(order.data() + s * B, B);
            for (std::size_t m = 0; m < methods.size(); ++m) {
                minibatch_gradient(weights[m], train, mb, grad);
                methods[m]->step(grad, weights[m]);
            }
            ++step_count;
            if (step_count >= next_log) {
                q.evaluations.push_back(static_cast<double>(step_count * B));
                q.mean_eta.push_back(methods[0]->mean_rate());
                q.median_bstar.push_back(methods[0]->median_batch_star());
                next_log = std::max<std::uint64_t>(next_log + 1, static_cast<std::uint64_t>(static_cast<double>(next_log) * 1.05));
            }
        }
        for (std::size_t m = 0; m < methods.size(); ++m) record(m, epoch);
        bar.advance();
    }
    bar.finish();
    return result;
}

}  // namespace quench::train
