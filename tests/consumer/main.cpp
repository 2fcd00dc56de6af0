// Builds against an installed quench and takes one step in double and in the rigorous
// interval type; exits non-zero if the result is not what E18/E20 give.
#include <quench/interval.hpp>
#include <quench/quench.hpp>

#include <cstdio>
#include <vector>

int main() {
    const auto h = quench::Hyperparameters<double>::from_smoothness(4.0, 1.0, 1);
    quench::State<double> s(1, h);
    std::vector<double> phi{1.0};
    quench::step<double>(s, h, std::vector<double>{2.0}, phi);  // warm-up
    const quench::rigorous_interval b = quench::theory::optimal_batch(quench::rigorous_interval(1.0),
                                                                      quench::rigorous_interval(2.0));
    const bool ok = phi[0] == 1.0 && quench::contains(b, 4.0);
    std::printf("consumer: phi = %g, B* in [%g, %g]: %s\n", phi[0], b.lower(), b.upper(), ok ? "ok" : "WRONG");
    return ok ? 0 : 1;
}
