#!/usr/bin/env bash
# Runs the indexer benchmarks from a built source tree (mvn -B -o install -pl bench -am -DskipTests first).
#
#   bench/run-bench.sh knn [KnnBenchmark options]   # pinned to CPU 1, FAISS side by side, knn.json
#   bench/run-bench.sh e2e [E2eBenchmark options]   # embedded broker, 1 and 4 partitions, e2e.json
#
# FAISS needs Debian's python3-faiss and python3-numpy, and an optimised BLAS (libopenblas0-pthread) for its
# batched search; the script runs it with one OpenMP and one BLAS thread.
set -euo pipefail
cd "$(dirname "$0")/../.."
what="${1:?usage: run-bench.sh knn|e2e [options]}"
shift
cp_file=bench/target/bench.classpath
if [[ ! -s "$cp_file" || bench/pom.xml -nt "$cp_file" ]]; then
  mvn -B -o -q dependency:build-classpath -pl bench -Dmdep.outputFile="$PWD/$cp_file" -Dmdep.includeScope=runtime >&2
fi
cp="bench/target/classes:$(cat "$cp_file")"
java_opts=(--add-modules jdk.incubator.vector -Xmx4g -XX:+UseParallelGC
  -Dlogback.configurationFile=bench/logback-bench.xml)
case "$what" in
  knn)
    python="${FAISS_PYTHON:-/usr/bin/python3}"
    faiss=(--faiss none)
    if "$python" -c 'import faiss' 2>/dev/null; then faiss=(--faiss "$python"); fi
    exec taskset -c "${BENCH_CPU:-1}" java "${java_opts[@]}" -cp "$cp" io.npid.bench.indexer.KnnBenchmark \
      "${faiss[@]}" --json "${BENCH_JSON:-bench/target/knn.json}" "$@"
    ;;
  e2e)
    exec java "${java_opts[@]}" -cp "$cp" io.npid.bench.indexer.E2eBenchmark \
      --json "${BENCH_JSON:-bench/target/e2e.json}" "$@"
    ;;
  *) echo "unknown benchmark '$what': knn or e2e" >&2; exit 2 ;;
esac
