#!/bin/bash
# Alternates the DJL training step (npid bench train's TrainBenchmark) and the PyTorch reference on one pinned
# core, one thread, NCE small-flat batch 128 (docs/experiments.md, "The training step against PyTorch"). Run from
# the repository root after building deploy/target/npid.jar (experiments.md, "Reproducing a run"), with nothing
# else on the machine:
#   docs/examples/step_ratio.sh [CORE] [PAIRS]
# Compare the "images per CPU-second" of each pair; PYTHON may name another python3 with torch (e.g. a venv with
# a PyTorch 2.x wheel: python3 -m venv ~/torch-venv && ~/torch-venv/bin/pip install torch-*.whl; PYTHON=~/torch-venv/bin/python).
CORE=${1:-1}
PAIRS=${2:-2}
PYTHON=${PYTHON:-/usr/bin/python3}
CP=deploy/target/npid.jar    # its manifest names every library in deploy/target/lib
for i in $(seq "$PAIRS"); do
  echo "== pair $i $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  taskset -c "$CORE" java -Dai.djl.offline=true -Xmx2g -cp "$CP" io.npid.bench.trainer.TrainBenchmark \
    --backbone small-flat --objective nce --batch 128 --threads 1 --steps 30 2>&1 | grep "images/s"
  for variant in "--similarity gather" "--similarity product" "--similarity product --channels-last" \
      "--similarity product --bf16"; do
    # shellcheck disable=SC2086
    taskset -c "$CORE" "$PYTHON" docs/examples/torch_step_reference.py --threads 1 --steps 20 $variant 2>&1 \
      | grep "^torch"
  done
done
