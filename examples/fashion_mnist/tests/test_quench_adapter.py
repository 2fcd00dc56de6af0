"""The mapping from the study's names onto QuenchSGD's arguments, and the diagnostics read
back from its state, on the project's QuenchSGD."""

from __future__ import annotations

import math

import pytest
import torch
from quench.torch import QuenchSGD

import quench_adapter

SETTINGS = {"batch_size": 128.0, "warmup": 20, "lambda_batch": 16.0, "lambda_rate": 0.07, "eta_max": 0.009}


def test_the_study_names_become_quenchsgd_arguments():
    kw = quench_adapter.keyword_arguments(QuenchSGD, SETTINGS)
    assert kw == {"batch_size": 128.0, "K": 20, "lambda_B": 16.0, "lambda_eta": 0.07, "eta_max": 0.009,
                  "diagnostics": True}
    opt = quench_adapter.make([torch.zeros(3, requires_grad=True)], SETTINGS)
    g = opt.param_groups[0]
    assert (g["batch_size"], g["K"], g["lambda_B"], g["lambda_eta"], g["eta_max"], g["diagnostics"]) == (
        128.0, 20, 16.0, 0.07, 0.009, True)


def test_an_argument_quenchsgd_lacks_is_named():
    with pytest.raises(TypeError, match="no argument 'bogus_option'.*README"):
        quench_adapter.keyword_arguments(QuenchSGD, dict(SETTINGS, bogus_option=1.0))


def _tempered_run(settings, steps):
    """`steps` steps of QuenchSGD through the adapter on a 200-coordinate quadratic with
    noisy gradients (so that eta falls well below its cap)."""
    torch.manual_seed(0)
    p = torch.zeros(200, dtype=torch.float64, requires_grad=True)
    opt = quench_adapter.make([p], settings)
    etas, weights = [], []
    for _ in range(steps):
        p.grad = (p.detach() - 1.0) + torch.randn(200, dtype=torch.float64)
        opt.step()
        etas.append(opt.state[p]["eta"].clone())
        weights.append(opt.state[p]["weight"].clone())
    return opt, torch.stack(etas), torch.stack(weights)


def test_the_tempering_options_reach_the_optimizer():
    base = {"batch_size": 32.0, "warmup": 5, "lambda_batch": 16.0, "lambda_rate": 0.001, "eta_max": 0.5}
    eta_min, min_weight = 0.05, 1.0 / 64
    _, etas, weights = _tempered_run(base, 60)
    # without tempering some coordinate's eta goes below the floor and some window beyond 64
    # batches, so the assertions below would fail if the adapter dropped the options
    assert float(etas[5:].min()) < eta_min and float(weights[5:].min()) < min_weight
    opt, etas, weights = _tempered_run(dict(base, eta_min=eta_min, min_weight=min_weight), 60)
    g = opt.param_groups[0]
    assert g["eta_min"] == eta_min and g["min_weight"] == min_weight
    assert float(etas[:5].abs().max()) == 0.0  # the warm-up keeps eta = 0
    assert float(etas[5:].min()) >= eta_min and float(weights.min()) >= min_weight


def test_diagnostics_read_from_state():
    p, q = torch.zeros(3, requires_grad=True), torch.zeros(2, requires_grad=True)
    opt = torch.optim.SGD([p, q], lr=0.1)
    opt.state[p].update(eta=torch.tensor([1.0, 2.0, 3.0]), Bstar=torch.tensor([10.0, 30.0, 50.0]))
    opt.state[q].update(eta=torch.tensor([4.0, 5.0]), Bstar=torch.tensor([20.0, 40.0]))
    eta, bstar = quench_adapter.diagnostics(opt)
    assert eta == 3.0 and bstar == 30.0  # over all 5 coordinates
    assert all(math.isnan(v) for v in quench_adapter.diagnostics(torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1)))


def test_diagnostics_of_a_real_step():
    opt = quench_adapter.make([torch.zeros(4, requires_grad=True)], SETTINGS)
    p = opt.param_groups[0]["params"][0]
    p.grad = torch.tensor([1.0, -2.0, 3.0, 0.5])
    opt.step()
    eta, bstar = quench_adapter.diagnostics(opt)
    assert eta == 0.0 and bstar == 20.0  # warm-up (E17, E18): eta = 0 and B* = K
