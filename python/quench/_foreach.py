"""The tensor-op step of QuenchSGD (docs/spec.md steps 1-6, E15-E20): ``torch._foreach_*`` ops
over lists of tensors of one device and dtype, in the expression order of the core's
update_coordinate_into (core/include/quench/coordinate_update.hpp), every ``+ - * /`` one op,
so that on CPU in float32 and float64 it agrees bit for bit with the fused C++ pass.

Only ops that round once are used: mul, add and sub (alpha 1), reciprocal, div and the
clamps. ``addcmul``, ``add(alpha != 1)`` and ``lerp`` are not: on x86-64 PyTorch evaluates them
with fused multiply-adds (one rounding where the core has two). The test
``test_the_tensor_ops_round_once`` checks the ops used against NumPy.

Speed. The update is ~28 elementwise ops; run one after the other over whole tensors, each
op would stream its operands through memory (~75 array passes per step, where Adam makes
~18). So the coordinates are cut into blocks of BLOCK_BYTES of each tensor list (big
tensors into flat pieces, small ones packed together) and every op of the update runs on
one block before the next block starts: the block's arrays and temporaries stay in the
core's cache, and memory sees each state array about once per step. Ops that do the same
thing to different lists go in one foreach call (fewer Python calls per block). The
temporaries are the foreach ops' own outputs, one block each.
"""

from __future__ import annotations

import math

import torch

__all__ = ["quench_step", "BLOCK_BYTES"]

# Bytes of one tensor list in a block. Blocks of 2^19 bytes (~12 arrays: 6 MiB, in the L3
# cache) were fastest at 10^6 and 10^7 float32 parameters on this project's 2-core machine
# (32 KiB blocks, which fit the L2 cache, make 16 times as many calls; whole tensors stream
# every op through memory). Measured with benchmarks/python/optimizer_step.py.
BLOCK_BYTES = 1 << 19


def _blocks(columns, block):
    """The coordinates of parallel tensor lists cut into blocks of about ``block`` elements.

    columns: lists of equal length, element i of every list a tensor of one shape (None
    for an absent list). Returns a list of blocks; each block is a list of the same columns,
    each a list of tensors (views of the originals). A tensor with more than ``block``
    elements is split into flat pieces when every tensor of its row is contiguous (the
    pieces of one row then cover the same coordinates); smaller ones are packed together.
    Empty tensors are left out (nothing to update, and max() of nothing is an error)."""
    sizes = [t.numel() for t in columns[0]]
    if 0 < sum(sizes) <= block and all(sizes):
        return [columns]
    present = [c for c in columns if c is not None]
    out, current, filled = [], None, 0
    for i, n in enumerate(sizes):
        if n == 0:
            continue
        row = [c[i] for c in present]
        if n > block and all(t.is_contiguous() for t in row):
            pieces = [t.view(-1).split(block) for t in row]
            count = len(pieces[0])
        else:
            pieces, count = [[t] for t in row], 1
        for j in range(count):
            size = pieces[0][j].numel()
            if current is None or filled + size > block:
                current, filled = [[] for _ in present], 0
                out.append(current)
            for col, piece in zip(current, pieces):
                col.append(piece[j])
            filled += size
    where = [None if c is None else sum(1 for d in columns[:i] if d is not None) for i, c in enumerate(columns)]
    return [[None if j is None else b[j] for j in where] for b in out]


def quench_step(params, grads, means, seconds, masses, weights, k, warm: bool, etas=None, bstars=None,
                block_bytes=None):
    """One step of quenching SGD on parallel lists of tensors (one device and dtype), in
    place. k: quench._constants.StepConstants of the dtype; warm: t <= K (E17, E18).
    masses is None without bias correction; etas and bstars (optional) receive eta and B*.

    Returns "ok"; "gradient" when some gradient is not finite or above sqrt(max)/2 (checked on
    every block first, as the core does: then nothing was modified); "overflow" when some
    new phi is not finite (E20 overflowed). Two host reads per step."""
    block = max(1, (BLOCK_BYTES if block_bytes is None else block_bytes) // params[0].element_size())
    blocks = _blocks([params, grads, means, seconds, masses, weights, etas, bstars], block)
    if not blocks:
        return "ok"
    z = _scalars(k, params[0].dtype)
    # max |g| per piece (NaN propagates through abs and max); on CPU norm(inf) would be a
    # non-vectorised reduction, ~100 times slower
    largest = [m for b in blocks for m in torch._foreach_max(torch._foreach_abs(b[1]))]
    if not bool(torch.stack(largest).max() <= math.sqrt(torch.finfo(params[0].dtype).max) / 2):
        return "gradient"
    flags = []
    for P, G, M, V, C, W, E, S in blocks:
        _update(P, G, M, V, C, W, E, S, k, z, warm)
        # phi * 0 is 0 for finite phi and NaN for +-inf (and NaN); max propagates NaN
        flags += torch._foreach_max(torch._foreach_mul(P, [z.zero] * len(P)))
    return "ok" if not bool(torch.stack(flags).sum().isnan()) else "overflow"


class _Scalars:
    """The step's constants as 0-d tensors of the working dtype (float32 or float64: exact,
    each constant is a value of that dtype), so an op rounds nothing more than with a Python
    number. On CPU a foreach op over n tensors with a Python number (or a 0-d tensor of
    another dtype) converts it n times, ~2 us each; with a 0-d tensor of the dtype not at
    all. Lists of them broadcast: sub([one] * n, W) is 1 - w in one op. Other dtypes (half,
    bfloat16) get Python numbers, as the ops compute those in float32 (the dtype the
    constants were rounded in); 1 and 0 are 0-d tensors there too (exact in every dtype)."""

    def __init__(self, k, dtype):
        exact = dtype in (torch.float32, torch.float64)

        def t(x):
            return None if x is None else torch.tensor(x, dtype=dtype) if exact else x
        self.zero, self.one = torch.tensor(0.0, dtype=dtype), torch.tensor(1.0, dtype=dtype)
        self.warm_weight, self.warmup_batch = t(k.warm_weight), t(k.warmup_batch)
        self.epsilon, self.batch_factor = t(k.epsilon), t(k.batch_factor)
        self.rate_factor, self.weight_factor = t(k.rate_factor), t(k.weight_factor)


def _scalars(k, dtype):
    cache = k.__dict__.setdefault("_scalar_tensors", {})
    found = cache.get(dtype)
    if found is None:
        found = cache[dtype] = _Scalars(k, dtype)
    return found


def _update(P, G, M, V, C, W, E, S, k, z, warm):
    """Steps 1-6 and E20 on one block (lists of tensors), in update_coordinate_into's order."""
    f = torch
    n = len(P)
    keep = list(f._foreach_sub([z.one] * n, W))                  # 1 - w
    products = list(f._foreach_mul(W + G, G + G))                # w g, g^2
    wg, g2 = products[:n], products[n:]
    f._foreach_mul_(g2, W)                                       # w g^2
    if k.bias:                                                   # X15: c' = (1 - w) c + w
        f._foreach_mul_(C + M + V, keep + keep + keep)
        f._foreach_add_(C + M + V, W + wg + g2)                  # E15, E16: m' = (1 - w) m + w g, ...
    else:
        f._foreach_mul_(M + V, keep + keep)
        f._foreach_add_(M + V, wg + g2)
    del keep, products, wg, g2
    if warm:                                                     # E17, E18: t <= K: eta = 0, B* = K
        f._foreach_zero_(W)
        f._foreach_add_(W, [z.warm_weight] * n)
        if E is not None:
            f._foreach_zero_(E)
        if S is not None:
            f._foreach_zero_(S)
            f._foreach_add_(S, [z.warmup_batch] * n)
        step = f._foreach_mul(G, [z.zero] * n)                   # E20 with eta = 0: phi - 0 g
        f._foreach_sub_(P, step)
        return
    if k.bias:
        squares = list(f._foreach_mul(M + C + C, M + V + C))     # m^2, c v, c^2
        m2, d, scale = squares[:n], squares[n:2 * n], squares[2 * n:]
        f._foreach_sub_(d, m2)                                   # D = c v - m^2 = c^2 var
        f._foreach_mul_(scale, [z.epsilon] * n)
        f._foreach_add_(scale, m2)                               # m^2 + eps c^2
    else:
        m2 = list(f._foreach_mul(M, M))
        d = list(f._foreach_sub(V, m2))                          # D = v - m^2
        scale = list(f._foreach_add(m2, [z.epsilon] * n))        # m^2 + eps (c = 1)
    if S is not None:                                            # E17: B* = lambda_B s D / (m^2 + eps c^2)
        if k.clamp_variance:
            f._foreach_clamp_min_(d, 0.0)                        # X11: the clamped D, not the floored one
        star = f._foreach_mul(d, [z.batch_factor] * n)
        f._foreach_div_(star, scale)
        f._foreach_copy_(S, star)
    if k.clamp_variance:                                         # X11: max(max(D, 0), floor) = max(D, floor)
        f._foreach_clamp_min_(d, k.floor)
    f._foreach_reciprocal_(d)                                    # the one division
    inverse = d
    eta, new_w = m2, scale
    f._foreach_mul_(eta + new_w, [z.rate_factor] * n + [z.weight_factor] * n)
    f._foreach_mul_(eta + new_w, inverse + inverse)              # E18/E20: lambda_eta/s m^2/D; E17, step 1: w = B/B*
    _clamp(f._foreach_clamp_max_, [(eta, k.eta_max), (new_w, k.weight_limit)])  # X9; X8, X14
    _clamp(f._foreach_clamp_min_, [(eta, k.eta_min), (new_w, k.min_weight)])    # tempering: the floors
    f._foreach_copy_(W, new_w)
    if E is not None:
        f._foreach_copy_(E, eta)
    f._foreach_mul_(eta, G)                                      # E20: phi' = phi - eta g
    f._foreach_sub_(P, eta)


def _clamp(op, pairs):
    """op(lists, bound) for the (tensor list, bound) pairs whose bound is set: one call when
    only one is (a list of bounds costs a conversion per tensor), else one per bound."""
    for tensors, bound in pairs:
        if bound is not None:
            op(tensors, bound)
