"""One thread per library: the tests run on small models beside other jobs, where
oversubscribed thread pools are slower by orders of magnitude."""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

try:
    import torch

    torch.set_num_threads(1)
except ImportError:
    pass
