#!/usr/bin/env python3
"""PyTorch eager reference for one NPID training step, to compare with `npid bench train` (issue 18).

The same recipe as the trainer's defaults with NCE: SmallConvNet small-flat (five 3x3 conv+BN+ReLU, 32-32-pool-
64-64-pool-128, the 128x7x7 map flattened, linear to 128, L2 norm), NCE with K 4096 per-sample negatives drawn
uniformly from a 60,000 x 128 bank, T 0.07, a fixed Z, bank momentum 0.5, SGD lr 0.01 momentum 0.9 weight decay
5e-4, batch 128 of 1x28x28. Input batches are random and made before timing (the trainer augments on another
thread). Prints the median step in wall and CPU time and images per second of each, and a JSON line.

Run on one pinned core with one thread, e.g.:
    taskset -c 1 python3 docs/examples/torch_step_reference.py --threads 1 --steps 30
    taskset -c 1 python3 docs/examples/torch_step_reference.py --threads 1 --steps 30 --channels-last
    taskset -c 1 python3 docs/examples/torch_step_reference.py --threads 1 --steps 30 --bf16
Needs only torch (Debian: apt-get install python3-torch); never a dependency of the product.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn_relu(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class SmallFlat(nn.Module):
    def __init__(self, channels=1, low_dim=128):
        super().__init__()
        self.features = nn.Sequential(*conv_bn_relu(channels, 32), *conv_bn_relu(32, 32), nn.MaxPool2d(2),
                                      *conv_bn_relu(32, 64), *conv_bn_relu(64, 64), nn.MaxPool2d(2),
                                      *conv_bn_relu(64, 128))
        self.fc = nn.Linear(128 * 7 * 7, low_dim)

    def forward(self, x):
        x = self.features(x)
        x = torch.flatten(x, 1)  # a channels-last map is made contiguous (NCHW order) here, as the head expects
        return F.normalize(self.fc(x), dim=1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--steps', type=int, default=30)
    p.add_argument('--warmup', type=int, default=3)
    p.add_argument('--batch', type=int, default=128)
    p.add_argument('--bank', type=int, default=60000)
    p.add_argument('--k', type=int, default=4096)
    p.add_argument('--channels-last', action='store_true')
    p.add_argument('--bf16', action='store_true',
                   help='run the network under CPU autocast to bfloat16 (fast where the CPU has avx512_bf16 or AMX); '
                        'the loss and the bank stay float32')
    p.add_argument('--similarity', choices=['gather', 'product'], default='gather',
                   help="gather: the paper's code (index the B x (K+1) bank rows, batched product); product: f times "
                        "the whole bank, then pick the B x (K+1) scores (npid.nce.similarity's choice at this N)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    model = SmallFlat()
    fmt = torch.channels_last if a.channels_last else torch.contiguous_format
    model = model.to(memory_format=fmt)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    bank = F.normalize(torch.randn(a.bank, 128), dim=1)
    t, m, n = 0.07, 0.5, a.bank
    z = None
    batches = [torch.rand(a.batch, 1, 28, 28).contiguous(memory_format=fmt) for _ in range(4)]
    wall, cpu = [], []
    model.train()
    for s in range(a.warmup + a.steps):
        x = batches[s % len(batches)]
        idx = torch.randint(0, n, (a.batch,))
        w0, c0 = time.perf_counter(), time.thread_time()
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=a.bf16):
            f = model(x)
        f = f.float()
        neg = torch.randint(0, n, (a.batch, a.k))
        rows = torch.cat([idx.unsqueeze(1), neg], 1)             # B x (K+1), positive first
        if a.similarity == 'gather':
            v = torch.index_select(bank, 0, rows.view(-1)).view(a.batch, a.k + 1, -1)  # B*(K+1) rows, as lemniscate
            scores = torch.bmm(v, f.unsqueeze(2)).squeeze(2)
        else:
            scores = torch.gather(f @ bank.t(), 1, rows)          # B x N products, then the B x (K+1) wanted
        out = torch.exp(scores / t)
        if z is None:
            z = (out.mean() * n).item()                           # the paper's Z, fixed after the first batch
        out = out / z
        h = out / (out + a.k / n)
        loss = -(torch.log(h[:, 0]).sum() + torch.log(1 - h[:, 1:]).sum()) / a.batch
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            upd = F.normalize(m * bank[idx] + (1 - m) * f.detach(), dim=1)
            bank.index_copy_(0, idx, upd)
        w1, c1 = time.perf_counter(), time.thread_time()
        if s >= a.warmup:
            wall.append(w1 - w0)
            cpu.append(c1 - c0)
    mw, mc = statistics.median(wall), statistics.median(cpu)
    r = {'torch': torch.__version__, 'threads': a.threads, 'batch': a.batch, 'channels_last': a.channels_last,
         'bf16': a.bf16, 'similarity': a.similarity,
         'median_step_ms': 1000 * mw, 'median_step_cpu_ms': 1000 * mc,
         'images_per_second': a.batch / mw, 'cpu_images_per_second': a.batch / mc}
    print('torch %s threads %d batch %d channels-last %s bf16 %s similarity %s: median step %.1f ms (%.0f img/s), '
          'CPU %.1f ms (%.0f img/s)' % (torch.__version__, a.threads, a.batch, a.channels_last, a.bf16, a.similarity,
                                         1000 * mw, a.batch / mw, 1000 * mc, a.batch / mc))
    print(json.dumps(r))


if __name__ == '__main__':
    main()
