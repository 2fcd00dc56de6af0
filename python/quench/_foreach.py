"""The tensor-op step of QuenchSGD (docs/spec.md steps 1-6, E15-E20): ``torch._foreach_*`` ops
over lists of tensors of one device and dtype, in one of two forms.

**bit_identical=True (the default).** The expression order of the core's update_coordinate_into
(core/include/quench/coordinate_update.hpp), every ``+ - * /`` rounded once, so that on CPU in
float32 and float64 it agrees bit for bit with the fused C++ pass. Plain mul, add and sub
(alpha 1), reciprocal and the clamps round once. Three fused ops are used where they give the
core's roundings exactly:

* ``addcmul(0, a, b, value=s)`` is ``0 + (s a) b``: on x86-64 PyTorch evaluates it as
  fma(s a, b, 0), which rounds s a and then (s a) b, the core's two roundings of
  ``rate_factor * m^2 * inverse`` (E18) and ``weight_factor * scale * inverse`` (E17, step 1);
  unfused it is the same. Only the sign of a zero differs (fma gives +0 for a -0 product), so
  it is used only when both products are >= +0: under X11 (the divisor is floored at the
  smallest normal number, so 1/D > 0), with m^2 and m^2 + eps c^2 never -0.
* ``addcdiv(m2, c2, 1, value=eps)`` is ``m2 + (eps c2) / 1``: the core's ``eps * c^2 + m^2``
  (the division by 1 is exact), two roundings in one op.
* ``sum`` for the overflow check (a sum is finite only when every term is).

Not used in this form: ``addcmul`` with a non-zero addend, ``add(alpha=...)`` and ``lerp``
round once where the core rounds twice (fused multiply-adds), and ``lerp``'s formula is not the
core's (1 - w) m + w g in any case (it is m + w (g - m), or g - (g - m)(1 - w) for w >= 1/2).
The test ``test_the_tensor_ops_round_once`` checks every op used against NumPy. Op count per
coordinate after warm-up (bias correction, X8/X9/X11 on: the defaults): 24 elementwise ops and
one read-only reduction for the checks, where Adam's foreach step has 8.

**bit_identical=False.** The same formulas with the fused ops above: the averages as lerp
(c' = lerp(c, 1, w), m' = lerp(m, g, w), v' = lerp(v, g^2, w)), eps c^2 + m^2 and phi - eta g
as addcmul, and the two quotients of steps 4-6 as addcdiv (f (a / D): a division each instead
of one reciprocal and two products). 14 elementwise ops. Each formula is evaluated with at
most as many roundings on each path as the core's, in another order, so the results differ
from the core's by a few units in the last place per step (not bit for bit), and every step
stays inside the oracle's stepwise model for its precision (oracle/README.md, "Stepwise
verdict": any reasonable expression order, fused multiply-adds included); the tests record
such runs and get AGREE from that check. Options without X11 (where the divisor may reach 0)
form the rate as bit_identical=True does.

Speed. Run one after the other over whole tensors, each op would stream its operands through
memory. So the coordinates are cut into blocks of BLOCK_BYTES of each tensor list (big tensors
into flat pieces, small ones packed together) and every op of the update runs on one block
before the next block starts: the block's arrays and temporaries stay in the cache, and memory
sees each state array about once per step. Ops that do the same thing to different lists go in
one foreach call (fewer Python calls per block). The temporaries are the foreach ops' own
outputs, one block each. The checks: one aminmax per gradient tensor before anything is
written, one sum per piece of the parameters while the piece is in cache.
"""
from __future__ import annotations

import math

import torch

__all__ = ["quench_step", "largest_gradient", "BLOCK_BYTES"]

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
                block_bytes=None, bit_identical=True):
    """One step of quenching SGD on parallel lists of tensors (one device and dtype), in
    place. k: quench._constants.StepConstants of the dtype; warm: t <= K (E17, E18).
    masses is None without bias correction; etas and bstars (optional) receive eta and B*.

    Returns "ok"; "gradient" when some gradient is not finite or above sqrt(max)/2 (checked on
    every tensor first, as the core does: then nothing was modified); "overflow" when some
    new phi is not finite (E20 overflowed). Two host reads per step."""
    if not _gradients_admissible(grads, largest_gradient(k, params[0].dtype)):
        return "gradient"
    block = max(1, (BLOCK_BYTES if block_bytes is None else block_bytes) // params[0].element_size())
    blocks = _blocks([params, grads, means, seconds, masses, weights, etas, bstars], block)
    if not blocks:
        return "ok"
    z = _scalars(k, params[0].dtype, params[0].device)
    sums = []
    for P, G, M, V, C, W, E, S in blocks:
        _update(P, G, M, V, C, W, E, S, k, z, warm, bit_identical)
        # a sum is finite only when every term is (inf and NaN absorb any finite term), so a
        # finite total clears the block; one read-only reduction while P is in cache
        sums += [p.sum() for p in P]
    if all(math.isfinite(x) for x in torch.stack(sums).tolist()):
        return "ok"
    # the total is not finite: an overflow, or finite values whose sum overflowed
    return "overflow" if not all(bool(p.isfinite().all()) for p in params) else "ok"


def largest_gradient(k, dtype):
    """The largest |g| the step accepts: the core's sqrt(max)/2 rounded in the dtype for
    float32 and float64 (k.limit, a value of the dtype: compared in double below, and in the
    dtype by torch, it decides every gradient as the core does); sqrt(max)/2 for the others."""
    return k.limit if dtype in (torch.float32, torch.float64) else math.sqrt(torch.finfo(dtype).max) / 2


def _gradients_admissible(grads, limit):
    """Every gradient coordinate finite with |g| <= limit (the core's input check): the least
    and largest value of each tensor (aminmax, one read-only pass; NaN propagates), read on
    the host once. An absent value (NaN) fails the comparison."""
    ends = [e for g in grads if g.numel() for e in torch.aminmax(g)]
    return not ends or all(abs(e) <= limit for e in torch.stack(ends).tolist())


class _Scalars:
    """The step's constants as 0-d tensors of the working dtype (float32 or float64: exact,
    each constant is a value of that dtype), so an op rounds nothing more than with a Python
    number. On CPU a foreach op over n tensors with a Python number (or a 0-d tensor of
    another dtype) converts it n times, ~2 us each; with a 0-d tensor of the dtype not at
    all. Lists of them broadcast: sub([one] * n, W) is 1 - w in one op. Other dtypes (half,
    bfloat16) get Python numbers, as the ops compute those in float32 (the dtype the
    constants were rounded in); 0 and 1 are 0-d tensors there too (exact in every dtype).
    On the tensors' device: the three-operand ops (addcmul, addcdiv) take them as operands."""

    def __init__(self, k, dtype, device):
        exact = dtype in (torch.float32, torch.float64)

        def t(x):
            return None if x is None else torch.tensor(x, dtype=dtype, device=device) if exact else x
        self.zero = torch.tensor(0.0, dtype=dtype, device=device)
        self.one = torch.tensor(1.0, dtype=dtype, device=device)
        self.warm_weight, self.warmup_batch = t(k.warm_weight), t(k.warmup_batch)
        self.epsilon, self.batch_factor = t(k.epsilon), t(k.batch_factor)
        self.rate_factor, self.weight_factor = t(k.rate_factor), t(k.weight_factor)


def _scalars(k, dtype, device):
    cache = k.__dict__.setdefault("_scalar_tensors", {})
    found = cache.get((dtype, device))
    if found is None:
        found = cache[(dtype, device)] = _Scalars(k, dtype, device)
    return found


def _update(P, G, M, V, C, W, E, S, k, z, warm, bit_identical):
    """Steps 1-6 and E20 on one block (lists of tensors): in update_coordinate_into's order
    (bit_identical), or with fewer, fused ops (see the top)."""
    (_absorb if bit_identical else _absorb_fused)(G, M, V, C, W, k, z)
    if warm:
        _warm_up(P, G, W, E, S, z)
    elif bit_identical or not k.clamp_variance:
        _rate(P, G, M, V, C, W, E, S, k, z)
    else:
        _rate_fused(P, G, M, V, C, W, E, S, k, z)


def _absorb(G, M, V, C, W, k, z):
    """Steps 2-3 (E15, E16, X15) in the core's order: c' = (1 - w) c + w, m' = (1 - w) m + w g,
    v' = (1 - w) v + w g^2, every product and sum rounded once."""
    f = torch
    n = len(G)
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


def _absorb_fused(G, M, V, C, W, k, z):
    """Steps 2-3 as lerp: x' = lerp(x, y, w) = x + w (y - x) (y - (y - x)(1 - w) for w >= 1/2),
    for c (y = 1), m (y = g) and v (y = g^2): 2 ops a coordinate where _absorb takes 6."""
    f = torch
    n = len(G)
    g2 = list(f._foreach_mul(G, G))
    if k.bias:
        f._foreach_lerp_(C + M + V, [z.one] * n + list(G) + g2, W + W + W)
    else:
        f._foreach_lerp_(M + V, list(G) + g2, W + W)


def _warm_up(P, G, W, E, S, z):
    """E17, E18 for t <= K: eta = 0, B* = K, the warm-up weight; phi - 0 g (as the core: a
    non-finite phi stays so, and -0 g keeps the sign rules)."""
    f = torch
    n = len(P)
    f._foreach_zero_(W)
    f._foreach_add_(W, [z.warm_weight] * n)
    if E is not None:
        f._foreach_zero_(E)
    if S is not None:
        f._foreach_zero_(S)
        f._foreach_add_(S, [z.warmup_batch] * n)
    step = f._foreach_mul(G, [z.zero] * n)                       # E20 with eta = 0: phi - 0 g
    f._foreach_sub_(P, step)


def _rate(P, G, M, V, C, W, E, S, k, z):
    """Steps 4-6 and E20 after warm-up, in update_coordinate_into's order."""
    f = torch
    n = len(P)
    if k.bias:
        squares = list(f._foreach_mul(M + C + C, M + V + C))     # m^2, c v, c^2
        m2, d, c2 = squares[:n], squares[n:2 * n], squares[2 * n:]
        f._foreach_sub_(d, m2)                                   # D = c v - m^2 = c^2 var
        scale = list(f._foreach_addcdiv(m2, c2, [z.one] * n, value=k.epsilon))  # m^2 + eps c^2 (see the top)
        del squares, c2
    else:
        m2 = list(f._foreach_mul(M, M))
        d = list(f._foreach_sub(V, m2))                          # D = v - m^2
        scale = list(f._foreach_add(m2, [z.epsilon] * n))        # m^2 + eps (c = 1)
    _report_batch(S, d, scale, k, z)
    if k.clamp_variance:                                         # X11: max(max(D, 0), floor) = max(D, floor)
        f._foreach_clamp_min_(d, k.floor)
    f._foreach_reciprocal_(d)                                    # the one division
    inverse = d
    if k.clamp_variance:                                         # 1/D > 0: the products are >= +0 (see the top)
        # E18/E20: eta = (lambda_eta/s m^2) / D; E17, step 1: w = (B/(lambda_B s) (m^2 + eps c^2)) / D,
        # straight into W (the old w was last read above)
        eta = f._foreach_addcmul([z.zero] * n, m2, inverse, value=k.rate_factor)
        for w, sc, inv in zip(W, scale, inverse):
            f.addcmul(z.zero, sc, inv, value=k.weight_factor, out=w)
        new_w = W
    else:
        eta, new_w = m2, scale
        f._foreach_mul_(eta + new_w, [z.rate_factor] * n + [z.weight_factor] * n)
        f._foreach_mul_(eta + new_w, inverse + inverse)          # E18/E20: lambda_eta/s m^2/D; E17, step 1: w = B/B*
    _limit(eta, new_w, k)
    if new_w is not W:
        f._foreach_copy_(W, new_w)
    if E is not None:
        f._foreach_copy_(E, eta)
    f._foreach_mul_(eta, G)                                      # E20: phi' = phi - eta g
    f._foreach_sub_(P, eta)


def _rate_fused(P, G, M, V, C, W, E, S, k, z):
    """Steps 4-6 and E20 after warm-up with fused ops (X11 on): the two quotients as addcdiv
    (0 + f (a / D), no reciprocal), eps c^2 + m^2 as one addcmul, phi - eta g as one addcmul."""
    f = torch
    n = len(P)
    if k.bias:
        products = list(f._foreach_mul(M + C, M + V))            # m^2, c v
        m2, d = products[:n], products[n:]
        f._foreach_sub_(d, m2)                                   # D = c v - m^2
        scale = f._foreach_addcmul(m2, C, C, value=k.epsilon)    # m^2 + eps c^2
    else:
        m2 = list(f._foreach_mul(M, M))
        d = list(f._foreach_sub(V, m2))
        scale = list(f._foreach_add(m2, [z.epsilon] * n))
    _report_batch(S, d, scale, k, z)
    f._foreach_clamp_min_(d, k.floor)                            # X11
    eta = f._foreach_addcdiv([z.zero] * n, m2, d, value=k.rate_factor)  # E18: (lambda_eta/s) m^2 / D
    for w, sc, dd in zip(W, scale, d):                           # E17, step 1: w = (B/(lambda_B s)) (m^2 + eps c^2) / D
        f.addcdiv(z.zero, sc, dd, value=k.weight_factor, out=w)
    _limit(eta, W, k)
    if E is not None:
        f._foreach_copy_(E, eta)
    f._foreach_addcmul_(P, eta, G, value=-1.0)                   # E20: phi' = phi - eta g


def _report_batch(S, d, scale, k, z):
    """E17: B* = lambda_B s D / (m^2 + eps c^2) into S, when asked for (D clamped at 0 under X11)."""
    if S is None:
        return
    f = torch
    if k.clamp_variance:
        f._foreach_clamp_min_(d, 0.0)                            # X11: the clamped D, not the floored one
    star = f._foreach_mul(d, [z.batch_factor] * len(d))
    f._foreach_div_(star, scale)
    f._foreach_copy_(S, star)


def _limit(eta, w, k):
    """X9 (eta <= eta_max), X8/X14 (the weight limit), then the tempering floors."""
    _clamp(torch._foreach_clamp_max_, [(eta, k.eta_max), (w, k.weight_limit)])
    _clamp(torch._foreach_clamp_min_, [(eta, k.eta_min), (w, k.min_weight)])


def _clamp(op, pairs):
    """op(lists, bound) for the (tensor list, bound) pairs whose bound is set: one call when
    only one is (a list of bounds costs a conversion per tensor), else one per bound."""
    for tensors, bound in pairs:
        if bound is not None:
            op(tensors, bound)
