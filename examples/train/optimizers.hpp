// optimizers.hpp - the three methods compared on the digits, behind one interface:
//  - quenching SGD: the core's quench::step with the derivation's meta-parameters
//    (Hyperparameters::from_smoothness: lambda_B = 16, lambda_eta = B/(32 L) (X10),
//    eta_max = 1/(2L) (X9), default options);
//  - plain SGD with the step 1/L that the descent lemma (E9) allows for the full gradient;
//  - Adam (Kingma and Ba 2015) with its usual constants.
#pragma once

#include "quench/quench.hpp"

#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <vector>

namespace quench::train {

class Optimizer {
public:
    virtual ~Optimizer() = default;
    virtual std::string name() const = 0;
    virtual void step(std::span<const double> grad, std::span<double> w) = 0;
    /// Mean per-coordinate rate of the last step (for SGD and Adam: their step size).
    virtual double mean_rate() const = 0;
    /// Median B* (examples) of the last step; NaN when the method has none.
    virtual double median_batch_star() const { return NAN; }
};

class QuenchingSgd final : public Optimizer {
public:
    QuenchingSgd(std::size_t d, double batch, double L, std::uint64_t warmup)
        : hyper_(Hyperparameters<double>::from_smoothness(batch, L, warmup)), state_(d, hyper_), eta_(d), bstar_(d) {}
    std::string name() const override { return "quenching SGD"; }
    void step(std::span<const double> grad, std::span<double> w) override {
        quench::step<double>(state_, hyper_, grad, w, StepOutputs<double>{eta_, bstar_});
    }
    double mean_rate() const override {
        double s = 0;
        for (double e : eta_) s += e;
        return s / static_cast<double>(eta_.size());
    }
    double median_batch_star() const override {
        std::vector<double> b(bstar_);
        std::nth_element(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(b.size() / 2), b.end());
        return b[b.size() / 2];
    }
    const Hyperparameters<double>& hyperparameters() const { return hyper_; }

private:
    Hyperparameters<double> hyper_;
    State<double> state_;
    std::vector<double> eta_, bstar_;
};

class PlainSgd final : public Optimizer {
public:
    explicit PlainSgd(double rate) : rate_(rate) {}
    std::string name() const override { return "SGD, step 1/L"; }
    void step(std::span<const double> grad, std::span<double> w) override {
        for (std::size_t i = 0; i < w.size(); ++i) w[i] -= rate_ * grad[i];
    }
    double mean_rate() const override { return rate_; }

private:
    double rate_;
};

class Adam final : public Optimizer {
public:
    Adam(std::size_t d, double rate) : rate_(rate), m_(d), v_(d) {}
    std::string name() const override { return "Adam"; }
    void step(std::span<const double> grad, std::span<double> w) override {
        ++t_;
        const double c1 = 1 - std::pow(beta1_, static_cast<double>(t_)), c2 = 1 - std::pow(beta2_, static_cast<double>(t_));
        for (std::size_t i = 0; i < w.size(); ++i) {
            m_[i] = beta1_ * m_[i] + (1 - beta1_) * grad[i];
            v_[i] = beta2_ * v_[i] + (1 - beta2_) * grad[i] * grad[i];
            w[i] -= rate_ * (m_[i] / c1) / (std::sqrt(v_[i] / c2) + epsilon_);
        }
    }
    /// Adam's per-coordinate rate rate/(sqrt(v)+eps) multiplies m, not the gradient, and is
    /// huge for coordinates that never see a gradient: no comparable "mean eta".
    double mean_rate() const override { return NAN; }

private:
    double rate_, beta1_ = 0.9, beta2_ = 0.999, epsilon_ = 1e-8;
    std::uint64_t t_ = 0;
    std::vector<double> m_, v_;
};

}  // namespace quench::train
