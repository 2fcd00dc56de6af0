"""The training loop and the evaluation, shared by the study and the timing script.

An epoch follows DeepOBS: the given permutation of the training set cut into minibatches of
the batch size, the remainder dropped (60000 = 468 x 128 + 96), one optimizer step per
minibatch on the mean softmax cross-entropy.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from fmnist_data import Split

EVAL_CHUNK = 2000


class Diverged(RuntimeError):
    """The training loss became NaN or infinite (a learning rate too large)."""


def tensors(split: Split, image_input: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """float32 inputs in [0, 1] (grey level / 255) and int64 labels."""
    x = torch.from_numpy(split.images.astype(np.float32) / np.float32(255))
    x = x.reshape(-1, 1, 28, 28) if image_input else x.reshape(-1, 784)
    return x, torch.from_numpy(split.labels.astype(np.int64))


def train_epoch(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    x: torch.Tensor,
    y: torch.Tensor,
    order: torch.Tensor,
    batch_size: int,
    after_step: Callable[[], None] | None = None,
) -> float:
    """One epoch over `order`; returns the mean minibatch loss. Raises Diverged on a
    non-finite loss (DeepOBS likewise marks such runs as diverged)."""
    model.train()
    steps = order.numel() // batch_size
    total = 0.0
    for s in range(steps):
        idx = order[s * batch_size : (s + 1) * batch_size]
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x[idx]), y[idx])
        value = loss.item()
        if not math.isfinite(value):
            raise Diverged(f"training loss {value} at step {s + 1} of the epoch")
        loss.backward()
        optimizer.step()
        total += value
        if after_step is not None:
            after_step()
    return total / max(steps, 1)


@torch.no_grad()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """(mean cross-entropy, accuracy) over all of (x, y)."""
    model.eval()
    loss_sum, correct = 0.0, 0
    for i in range(0, x.shape[0], EVAL_CHUNK):
        out = model(x[i : i + EVAL_CHUNK])
        t = y[i : i + EVAL_CHUNK]
        loss_sum += F.cross_entropy(out, t, reduction="sum").item()
        correct += int((out.argmax(1) == t).sum())
    return loss_sum / x.shape[0], correct / x.shape[0]
