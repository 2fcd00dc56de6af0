"""Zero-copy views for the core: NumPy arrays pass as they are, torch tensors (and any
other DLPack exporter) are viewed through NumPy without copying their memory."""

import numpy as np


def as_buffer(x, name):
    """An object with the buffer protocol that shares ``x``'s memory."""
    if isinstance(x, np.ndarray):
        return x
    detach = getattr(x, "detach", None)
    if detach is not None and hasattr(x, "device"):  # a torch tensor
        t = detach()
        if t.device.type != "cpu":
            raise ValueError(f"quench.step: {name} is on {t.device}; the C++ core runs on CPU tensors "
                             "(use the tensor-op implementation, QuenchSGD(foreach=True), elsewhere)")
        if t.is_sparse or t.layout.__repr__() != "torch.strided":
            raise ValueError(f"quench.step: {name} must be a dense (strided) tensor, got {t.layout}")
        if t.is_conj() or t.is_neg():
            raise ValueError(f"quench.step: {name} has a lazy conjugate/negative bit; resolve it first")
        return t.numpy()  # shares the tensor's storage
    if hasattr(x, "__dlpack__"):
        return np.from_dlpack(x)
    return x  # anything else must offer the buffer protocol itself
