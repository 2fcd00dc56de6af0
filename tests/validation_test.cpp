// Bad input gets a clear exception of a documented type, before anything is modified.
#include "expect_message.hpp"
#include "scalar_types.hpp"

#include <limits>
#include <string>
#include <vector>

template <class T>
class Validation : public ::testing::Test {};
TYPED_TEST_SUITE(Validation, quench_test::AllScalarTypes);

namespace {
template <class T>
quench::Hyperparameters<T> good() {
    return quench::Hyperparameters<T>::from_smoothness(T(4), T(2), 3);
}
using quench_test::expect_message;
}  // namespace

TYPED_TEST(Validation, InvalidHyperparametersNameTheField) {
    using T = TypeParam;
    using quench::invalid_hyperparameter;
    auto h = good<T>();
    h.batch_size = T(0);
    expect_message<invalid_hyperparameter>([&] { h.validate(); }, "batch_size");
    h = good<T>();
    h.batch_size = T(-1);
    expect_message<invalid_hyperparameter>([&] { h.validate(); }, "batch_size");
    h = good<T>();
    h.warmup = 0;
    expect_message<invalid_hyperparameter>([&] { h.validate(); }, "warmup");
    h = good<T>();
    h.lambda_batch = T(0);
    expect_message<invalid_hyperparameter>([&] { h.validate(); }, "lambda_batch");
    h = good<T>();
    h.lambda_rate = T(-0.5);
    expect_message<invalid_hyperparameter>([&] { h.validate(); }, "lambda_rate");
    h = good<T>();
    h.epsilon = T(0);
    expect_message<invalid_hyperparameter>([&] { h.validate(); }, "epsilon");
    h = good<T>();
    h.options.max_weight = T(1.5);
    expect_message<invalid_hyperparameter>([&] { h.validate(); }, "max_weight");
    h = good<T>();
    h.options.eta_max = T(0);
    expect_message<invalid_hyperparameter>([&] { h.validate(); }, "eta_max");
    h = good<T>();
    h.batch_size = T(std::numeric_limits<double>::infinity());
    expect_message<invalid_hyperparameter>([&] { h.validate(); }, "batch_size");
    EXPECT_THROW(quench::Hyperparameters<T>::from_smoothness(T(1), T(0), 3), invalid_hyperparameter);
    if constexpr (!quench::is_interval_v<T>) {
        h = good<T>();
        h.lambda_rate = T(std::numeric_limits<double>::quiet_NaN());
        expect_message<invalid_hyperparameter>([&] { h.validate(); }, "lambda_rate");
    }
    // A state cannot be built from invalid meta-parameters either.
    h = good<T>();
    h.warmup = 0;
    EXPECT_THROW(quench::State<T>(3, h), invalid_hyperparameter);
}

TYPED_TEST(Validation, BadGradientsAndSizesLeaveEverythingUntouched) {
    using T = TypeParam;
    const auto h = good<T>();
    quench::State<T> s(2, h);
    std::vector<T> phi{T(1), T(2)};
    std::vector<T> ok{T(1), T(-1)};
    quench::step<T>(s, h, ok, phi);
    const auto before = s;

    std::vector<T> too_long{T(1), T(2), T(3)};
    expect_message<quench::invalid_input>([&] { quench::step<T>(s, h, too_long, phi); }, "gradient has 3");
    std::vector<T> short_phi{T(0)};
    expect_message<quench::invalid_input>([&] { quench::step<T>(s, h, ok, short_phi); }, "parameter vector");
    std::vector<T> eta_wrong(5);
    expect_message<quench::invalid_input>(
        [&] { quench::step<T>(s, h, ok, phi, {eta_wrong, {}}); }, "eta output");

    const double inf = std::numeric_limits<double>::infinity();
    std::vector<T> infinite{T(1), T(inf)};
    if constexpr (!quench::is_interval_v<T>) {
        expect_message<quench::invalid_input>([&] { quench::step<T>(s, h, infinite, phi); }, "coordinate 1");
        std::vector<T> nan{T(std::numeric_limits<double>::quiet_NaN()), T(0)};
        expect_message<quench::invalid_input>([&] { quench::step<T>(s, h, nan, phi); }, "coordinate 0");
    }
    // Huge: ghat^2 would overflow (largest_gradient() = sqrt(max)/2).
    std::vector<T> huge{T(quench::largest_gradient<T>() * T(4)), T(0)};
    expect_message<quench::invalid_input>([&] { quench::step<T>(s, h, huge, phi); }, "coordinate 0");

    auto other = h;
    other.options.bias_correction = false;
    expect_message<quench::invalid_input>([&] { quench::step<T>(s, other, ok, phi); }, "bias_correction");

    EXPECT_EQ(s.t, before.t);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_TRUE(quench_test::is_exactly(s.mean[i], quench_test::mpfr_float_100(quench::lower(before.mean[i]))));
    }
    EXPECT_TRUE(quench_test::is_exactly(phi[0], 1));
    EXPECT_TRUE(quench_test::is_exactly(phi[1], 2));
}

TYPED_TEST(Validation, GradientsWhoseSquareOverflowsAreRefused) {
    using T = TypeParam;
    using E = quench::endpoint_t<T>;
    using std::sqrt;
    // The boundary by its reason, not through largest_gradient(): ghat = 1.5 sqrt(max) has
    // ghat^2 = 2.25 max, which overflows, so step() must refuse it; sqrt(max)/2 (square
    // max/4, and w ghat^2 <= max/4) is the largest it accepts, with finite averages.
    const E root = E(sqrt(std::numeric_limits<E>::max()));
    const auto h = good<T>();
    quench::State<T> s(2, h);
    std::vector<T> phi{T(1), T(2)};
    const std::vector<T> over{T(0), T(E(root * E(1.5)))};
    expect_message<quench::invalid_input>([&] { quench::step<T>(s, h, over, phi); }, "coordinate 1");
    EXPECT_EQ(s.t, 0u);
    const std::vector<T> largest{T(E(root / 2)), T(0)};
    quench::step<T>(s, h, largest, phi);
    EXPECT_TRUE(quench::is_finite(quench::running_second_moment(s, 0)));
}

TEST(ValidationDouble, FromSmoothnessReportsAnOverflowingRateAsAHyperparameter) {
    // B/(32 L) = 1e300/(32e-300) overflows double: the constructor names the fields rather
    // than passing on the closed form's overflow_error or an infinite rate.
    try {
        (void)quench::Hyperparameters<double>::from_smoothness(1e300, 1e-300, 1);
        ADD_FAILURE() << "no exception for an overflowing B/(32 L)";
    } catch (const quench::invalid_hyperparameter& e) {
        EXPECT_NE(std::string(e.what()).find("lambda_rate"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)quench::Hyperparameters<double>::from_smoothness(-1.0, 1.0, 1),
                 quench::invalid_hyperparameter);
}

TEST(ValidationDouble, ParameterOverflowIsReported) {
    using T = double;
    // L = 1e-200 allows rates up to eta_max = 5e199; with |ghat| = 1e150 the move
    // eta * ghat overflows, which step() must report rather than leave an inf in phi.
    const auto h = quench::Hyperparameters<T>::from_smoothness(T(4), T(1e-200), 1);
    quench::State<T> s(1, h);
    std::vector<T> phi{T(1)};
    quench::step<T>(s, h, std::vector<T>{T(-1)}, phi);  // warm-up: eta = 0
    EXPECT_THROW(quench::step<T>(s, h, std::vector<T>{T(-1e150)}, phi), quench::overflow_error);
}
