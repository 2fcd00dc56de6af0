"""The mapping from the study's names onto QuenchSGD's arguments, on small fake classes."""

from __future__ import annotations

import math

import pytest
import torch

import quench_adapter

SETTINGS = {"batch_size": 128.0, "warmup": 20, "lambda_batch": 16.0, "lambda_rate": 0.07, "eta_max": 0.009}


class Canonical:
    def __init__(self, params, *, batch_size, warmup, lambda_batch, lambda_rate, eta_max):
        pass


class PackageNames:
    def __init__(self, params, *, batch_size, K, lambda_eta=None, lambda_B=16.0, eps=1e-12, eta_max=None,
                 diagnostics=False):
        pass


class AnyKeyword:
    def __init__(self, params, **kwargs):
        pass


def test_canonical_names_pass_through():
    assert quench_adapter.keyword_arguments(Canonical, SETTINGS) == SETTINGS


def test_aliases_and_the_diagnostics_request():
    kw = quench_adapter.keyword_arguments(PackageNames, SETTINGS)
    assert kw == {"batch_size": 128.0, "K": 20, "lambda_B": 16.0, "lambda_eta": 0.07, "eta_max": 0.009,
                  "diagnostics": True}


def test_a_missing_option_is_named():
    with pytest.raises(TypeError, match="no argument for 'eta_min'.*README"):
        quench_adapter.keyword_arguments(PackageNames, dict(SETTINGS, eta_min=0.001))
    assert quench_adapter.keyword_arguments(AnyKeyword, {"eta_min": 0.001}) == {"eta_min": 0.001}


def test_diagnostics_read_from_state():
    p, q = torch.zeros(3, requires_grad=True), torch.zeros(2, requires_grad=True)
    opt = torch.optim.SGD([p, q], lr=0.1)
    opt.state[p].update(eta=torch.tensor([1.0, 2.0, 3.0]), Bstar=torch.tensor([10.0, 30.0, 50.0]))
    opt.state[q].update(eta=torch.tensor([4.0, 5.0]), Bstar=torch.tensor([20.0, 40.0]))
    eta, bstar = quench_adapter.diagnostics(opt)
    assert eta == 3.0 and bstar == 30.0  # over all 5 coordinates
    assert all(math.isnan(v) for v in quench_adapter.diagnostics(torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1)))
