#!/usr/bin/env python3
"""FAISS IndexFlatIP side of the kNN benchmark (io.npid.indexer.bench.KnnBenchmark runs it with the same data).

Prints name=value lines: batch_queries_per_s (all queries in one search call), single_queries_per_s (one query
per call), faiss_version, threads. Without --data/--queries it makes its own seeded random unit vectors.

  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 taskset -c 1 /usr/bin/python3 bench/faiss_knn.py --n 60000
Debian: apt-get install python3-faiss python3-numpy (and libopenblas0-pthread: with the reference libblas3 that
python3-numpy pulls in alone, FAISS's batched search is about ten times slower).
"""
import argparse
import json
import time

import faiss
import numpy as np


def unit_rows(rng, rows, dim):
    x = rng.standard_normal((rows, dim)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="float32 little-endian row-major index vectors")
    parser.add_argument("--queries", help="float32 little-endian row-major query vectors")
    parser.add_argument("--n", type=int, default=60000)
    parser.add_argument("--nq", type=int, default=10000)
    parser.add_argument("--dim", type=int, default=128)
    parser.add_argument("--k", type=int, default=200)
    parser.add_argument("--single", type=int, default=1000, help="queries timed one at a time")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()

    faiss.omp_set_num_threads(args.threads)
    if args.data:
        data = np.fromfile(args.data, dtype="<f4").reshape(-1, args.dim)
        queries = np.fromfile(args.queries, dtype="<f4").reshape(-1, args.dim)
    else:
        rng = np.random.default_rng(42)
        data = unit_rows(rng, args.n, args.dim)
        queries = unit_rows(rng, args.nq, args.dim)

    index = faiss.IndexFlatIP(args.dim)
    index.add(data)
    index.search(queries[:64], args.k)  # warm-up: page in the index, load BLAS

    start = time.perf_counter()
    index.search(queries, args.k)
    batch_s = time.perf_counter() - start

    single = min(args.single, len(queries))
    start = time.perf_counter()
    for i in range(single):
        index.search(queries[i:i + 1], args.k)
    single_s = time.perf_counter() - start

    figures = {
        "engine": "faiss-IndexFlatIP",
        "faiss_version": faiss.__version__,
        "threads": args.threads,
        "n": int(data.shape[0]),
        "dim": args.dim,
        "k": args.k,
        "queries": int(queries.shape[0]),
        "batch_queries_per_s": queries.shape[0] / batch_s,
        "single_queries": single,
        "single_queries_per_s": single / single_s,
    }
    for key, value in figures.items():
        print(f"{key}={value}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(figures, out, indent=2)


if __name__ == "__main__":
    main()
