# Sourced by bench/run-*.sh: the PyTorch reference a user would really run on Debian 12.
# Debian's python3-torch (1.13.1, BLAS_INFO=generic) with Debian's OpenBLAS (libopenblas0-pthread),
# chosen for this process only by putting its folder first on LD_LIBRARY_PATH (no system-wide
# update-alternatives change), OPENBLAS_NUM_THREADS = the thread count under test.
# PYTORCH_BLAS=generic selects the reference BLAS (libblas3) instead, for the old figures.
# PYTORCH_BLAS_THREADS=N sets OPENBLAS_NUM_THREADS to N instead (torch's own threads stay at THREADS):
# at 2 threads on 2 cores, OpenBLAS's 2 pthreads beside torch's 2 OpenMP threads oversubscribe the cores
# (docs/benchmarks.md, encoders); PYTORCH_BLAS_THREADS=1 measures the reference without that.
#   pytorch THREADS SCRIPT ARGS...     runs /usr/bin/python3 SCRIPT ARGS... with that BLAS
py=/usr/bin/python3                       # Debian's python3-torch, not a pyenv python
pytorch_blas="${PYTORCH_BLAS:-openblas}"
case "$pytorch_blas" in
  openblas) blas_dir=/usr/lib/x86_64-linux-gnu/openblas-pthread ;;
  generic)  blas_dir=/usr/lib/x86_64-linux-gnu/blas ;;
  *) echo "PYTORCH_BLAS must be openblas or generic, not $pytorch_blas" >&2; exit 1 ;;
esac
[[ -f "$blas_dir/libblas.so.3" ]] || {
  echo "$blas_dir/libblas.so.3 missing: apt-get install -y ${pytorch_blas/openblas/libopenblas0-pthread}${pytorch_blas/generic/libblas3}" >&2; exit 1; }
"$py" -c 'import torch, numpy' 2>/dev/null || { echo "PyTorch/numpy missing for $py: apt-get install -y python3-torch" >&2; exit 1; }

pytorch() {
  local threads="$1"; shift
  LD_LIBRARY_PATH="$blas_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" OPENBLAS_NUM_THREADS="${PYTORCH_BLAS_THREADS:-$threads}" \
    PYTORCH_BLAS="$pytorch_blas" PYTHONPATH="${bench_dir:?}${PYTHONPATH:+:$PYTHONPATH}" "$py" "$@"
}
load() { cut -d' ' -f1-3 /proc/loadavg; }
