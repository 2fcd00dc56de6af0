"""The Fashion-MNIST test problems of DeepOBS (Schneider, Balles and Hennig, ICLR 2019),
rebuilt in PyTorch from the definitions in its TensorFlow code (read, not copied):

- fmnist_logreg: 784 -> 10 linear layer, weights and biases initialised to 0; batch 128,
  50 epochs.
- fmnist_mlp: 784-1000-500-100-10, ReLU after the first three layers, weights from a
  normal of standard deviation 3e-2 truncated at two standard deviations (TensorFlow's
  truncated_normal_initializer re-draws values beyond 2 sigma), biases 0; batch 128,
  100 epochs.
- fmnist_2c2d: conv 5x5 32 filters ('same' padding, ReLU), max-pool 2x2 stride 2, conv 5x5 64
  filters, max-pool, fully connected 1024 (ReLU), 10; weights truncated-normal with standard
  deviation 0.05, biases 0.05; batch 128, 100 epochs.

All three minimise the mean softmax cross-entropy with no regularisation. Inputs are the
grey levels divided by 255 (DeepOBS's preprocessing; no mean subtraction).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch
from torch import nn


@dataclass(frozen=True)
class Problem:
    name: str
    build: Callable[[torch.Generator], nn.Module]
    epochs: int  # DeepOBS's default number of epochs
    batch_size: int  # DeepOBS's default batch size
    image_input: bool  # True: inputs (n, 1, 28, 28); False: (n, 784)
    convex: bool  # the loss is convex in the parameters (a smoothness bound applies)


def _truncated_normal_(t: torch.Tensor, std: float, g: torch.Generator) -> None:
    nn.init.trunc_normal_(t, mean=0.0, std=std, a=-2 * std, b=2 * std, generator=g)


def _init(module: nn.Module, g: torch.Generator, weight_std: float | None, bias: float) -> None:
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            with torch.no_grad():
                if weight_std is None:
                    m.weight.zero_()
                else:
                    _truncated_normal_(m.weight, weight_std, g)
                m.bias.fill_(bias)


def logreg(g: torch.Generator) -> nn.Module:
    model = nn.Linear(784, 10)
    _init(model, g, None, 0.0)
    return model


def mlp(g: torch.Generator) -> nn.Module:
    model = nn.Sequential(
        nn.Linear(784, 1000), nn.ReLU(),
        nn.Linear(1000, 500), nn.ReLU(),
        nn.Linear(500, 100), nn.ReLU(),
        nn.Linear(100, 10),
    )
    _init(model, g, 3e-2, 0.0)
    return model


def conv2c2d(g: torch.Generator) -> nn.Module:
    model = nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Flatten(),
        nn.Linear(7 * 7 * 64, 1024), nn.ReLU(),
        nn.Linear(1024, 10),
    )
    _init(model, g, 0.05, 0.05)
    return model


PROBLEMS = {
    p.name: p
    for p in (
        Problem("fmnist_logreg", logreg, 50, 128, False, True),
        Problem("fmnist_mlp", mlp, 100, 128, False, False),
        Problem("fmnist_2c2d", conv2c2d, 100, 128, True, False),
    )
}


def build(problem: Problem, seed: int) -> nn.Module:
    """The problem's model with its DeepOBS initialisation from `seed`, in float32."""
    g = torch.Generator().manual_seed(seed)
    return problem.build(g)
