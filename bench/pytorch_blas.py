"""Which BLAS this PyTorch process really uses, read from /proc/self/maps after a matrix product.

Debian's python3-torch is built with BLAS_INFO=generic: it calls whatever libblas.so.3 the dynamic
linker finds. bench/pytorch-env.sh puts Debian's OpenBLAS (libopenblas0-pthread) first on
LD_LIBRARY_PATH and sets OPENBLAS_NUM_THREADS to the thread count under test; this module checks
that it took, so a result line never claims a BLAS it did not run on.
"""
import ctypes
import os

import torch


class _DlInfo(ctypes.Structure):
    _fields_ = [("fname", ctypes.c_char_p), ("fbase", ctypes.c_void_p),
                ("sname", ctypes.c_char_p), ("saddr", ctypes.c_void_p)]


def _library_of(symbol):
    """The file SYMBOL resolves to from libtorch_cpu (dlsym on its handle searches it and its
    dependencies in load order, as the dynamic linker did when it bound libtorch's calls)."""
    torch_cpu = next(line.split()[-1] for line in open("/proc/self/maps") if "libtorch_cpu" in line)
    address = ctypes.cast(getattr(ctypes.CDLL(torch_cpu), symbol), ctypes.c_void_p)
    info = _DlInfo()
    ctypes.CDLL("libc.so.6").dladdr(address, ctypes.byref(info))
    return os.path.realpath(info.fname.decode())


def blas_in_use():
    """A one-line description: the library sgemm_ resolves to, OpenBLAS's config and threads. Exits if
    PYTORCH_BLAS=openblas and sgemm_ is not OpenBLAS's."""
    torch.ones(64, 64) @ torch.ones(64, 64)                   # libblas.so.3 is mapped by now
    sgemm = _library_of("sgemm_")
    mapped = {line.split()[-1] for line in open("/proc/self/maps") if ".so" in line}
    openblas = sorted(m for m in mapped if "libopenblas" in os.path.basename(m))
    if "openblas" in sgemm and openblas:                       # Debian's openblas-pthread/libblas.so.3 or libopenblas itself
        lib = ctypes.CDLL(openblas[0])
        lib.openblas_get_config.restype = ctypes.c_char_p
        described = (f"OpenBLAS ({lib.openblas_get_config().decode()}; sgemm_ from {sgemm}; "
                     f"{lib.openblas_get_num_threads()} BLAS thread(s), OPENBLAS_NUM_THREADS="
                     f"{os.environ.get('OPENBLAS_NUM_THREADS', 'unset')})")
    else:
        described = f"reference BLAS (sgemm_ from {sgemm})"
    if not any(os.path.realpath(m) == sgemm for m in mapped):
        raise SystemExit(f"{sgemm} is not in /proc/self/maps")
    if os.environ.get("PYTORCH_BLAS") == "openblas" and "openblas" not in sgemm:
        raise SystemExit(f"PYTORCH_BLAS=openblas but this process uses {described}")
    return described
