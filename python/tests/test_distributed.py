"""QuenchSGD under DistributedDataParallel: two gloo processes on this machine (loopback),
each with its own shard of every minibatch, keep parameters and optimizer states
bit-identical. `batch_size` is the global batch: DDP's gradient is the mean over all
ranks' examples (per-rank batch x world size).

(Against one process on the whole batch the trajectories are close but not identical:
the all-reduce sums in another order. Only the ranks' agreement is an exact claim.)"""

import os
import socket

import pytest

torch = pytest.importorskip("torch")
import torch.distributed as dist  # noqa: E402
import torch.multiprocessing as mp  # noqa: E402

from quench.torch import QuenchSGD  # noqa: E402

from digits import load_digits, minibatches  # noqa: E402
from test_torch_optimizer import mlp  # noqa: E402

WORLD, PER_RANK, STEPS = 2, 16, 40


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flat_state(model, opt):
    parts = [p.detach().reshape(-1) for p in model.parameters()]
    for p in model.parameters():
        st = opt.state[p]
        parts += [st[k].reshape(-1).to(torch.float64) for k in ("mean", "second", "mass", "weight")]
    return torch.cat(parts)


def worker(rank, port, out):
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    torch.set_num_threads(1)
    dist.init_process_group("gloo", rank=rank, world_size=WORLD)
    try:
        X, Y = load_digits()
        x, y = torch.tensor(X), torch.tensor(Y)
        results = {}
        for name, flags in (("fused", dict(fused=True)), ("foreach", dict(foreach=True))):
            model = torch.nn.parallel.DistributedDataParallel(mlp(torch.float64))
            opt = QuenchSGD(model.parameters(), batch_size=PER_RANK * WORLD, K=5, L=3.0, **flags)
            for idx in minibatches(len(X), PER_RANK * WORLD, STEPS):
                mine = idx[rank * PER_RANK:(rank + 1) * PER_RANK]
                opt.zero_grad()
                torch.nn.functional.cross_entropy(model(x[mine]), y[mine]).backward()  # DDP averages over ranks
                opt.step()
            mine = flat_state(model.module, opt)
            gathered = [torch.empty_like(mine) for _ in range(WORLD)]
            dist.all_gather(gathered, mine)
            results[name] = gathered
        if rank == 0:
            torch.save(results, out)
        # Both ranks reach here before either tears gloo down: a rank that destroys its group
        # while the other still has a pair open can abort in gloo's destructor ("terminate
        # called without an active exception", seen once in this test without the barrier).
        dist.barrier()
    finally:
        dist.destroy_process_group()


def test_ddp_ranks_stay_bit_identical(tmp_path):
    out = tmp_path / "states.pt"
    mp.start_processes(worker, args=(free_port(), str(out)), nprocs=WORLD, join=True, start_method="spawn")
    results = torch.load(out)
    for name in ("fused", "foreach"):
        rank0, rank1 = results[name]
        assert torch.equal(rank0, rank1), name
    assert torch.equal(results["fused"][0], results["foreach"][0])  # and the implementations agree
    start = flat_state_of_fresh_model()
    n = sum(p.numel() for p in mlp(torch.float64).parameters())
    assert not torch.equal(rank0[:n], start)  # the parameters moved


def flat_state_of_fresh_model():
    return torch.cat([p.detach().reshape(-1) for p in mlp(torch.float64).parameters()])
