#!/usr/bin/env python3
"""PyTorch reference for TrainBenchmark: the same step (SmallConvNet or CIFAR ResNet18, 128-d head, L2 norm,
softmax or NCE against an N-row bank, SGD momentum 0.9 wd 5e-4, bank momentum update) timed the same way
(median full step over --steps after --warmup). Not part of the build; needs Debian's python3-torch.

  taskset -c 1 /usr/bin/python3 bench/pytorch_reference.py --objective nce --nce-form product --threads 1
"""
import argparse, json, math, statistics, time
import torch, torch.nn as nn, torch.nn.functional as F


def conv_bn_relu(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class SmallConvNet(nn.Module):
    def __init__(self, cin, dim):
        super().__init__()
        self.f = nn.Sequential(*conv_bn_relu(cin, 32), *conv_bn_relu(32, 32), nn.MaxPool2d(2),
                               *conv_bn_relu(32, 64), *conv_bn_relu(64, 64), nn.MaxPool2d(2),
                               *conv_bn_relu(64, 128), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, dim))

    def forward(self, x):
        return F.normalize(self.f(x), dim=1)


class Basic(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); self.b2 = nn.BatchNorm2d(cout)
        self.sc = nn.Sequential()
        if stride != 1 or cin != cout:
            self.sc = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return F.relu(self.b2(self.c2(F.relu(self.b1(self.c1(x))))) + self.sc(x))


class ResNet18(nn.Module):
    def __init__(self, cin, dim):
        super().__init__()
        layers, c = [nn.Conv2d(cin, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True)], 64
        for i, w in enumerate([64, 128, 256, 512]):
            layers += [Basic(c, w, 1 if i == 0 else 2), Basic(w, w, 1)]; c = w
        self.f = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, dim))

    def forward(self, x):
        return F.normalize(self.f(x), dim=1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--backbone', default='small'); p.add_argument('--objective', default='softmax')
    p.add_argument('--nce-form', default='product', choices=['product', 'gather'])
    p.add_argument('--batch', type=int, default=128); p.add_argument('--threads', type=int, default=1)
    p.add_argument('--steps', type=int, default=20); p.add_argument('--warmup', type=int, default=3)
    p.add_argument('--bank-size', type=int, default=60000); p.add_argument('--channels', type=int, default=1)
    p.add_argument('--size', type=int, default=28); p.add_argument('--k', type=int, default=4096)
    p.add_argument('--json')
    a = p.parse_args()
    torch.set_num_threads(a.threads); torch.manual_seed(1)
    net = (SmallConvNet if a.backbone == 'small' else ResNet18)(a.channels, 128)
    opt = torch.optim.SGD(net.parameters(), lr=0.03, momentum=0.9, weight_decay=5e-4)
    n, b, k = a.bank_size, a.batch, a.k
    bank = F.normalize(torch.rand(n, 128) * 2 - 1, dim=1)
    t = 0.1 if a.objective == 'softmax' else 0.07
    z = None
    phases = dict(forward=0.0, loss=0.0, backward=0.0, optimizer=0.0, bank_update=0.0)
    times, cpu_times = [], []
    for step in range(a.warmup + a.steps):
        x = torch.randn(b, a.channels, a.size, a.size)
        idx = torch.randint(0, n, (b,))
        t0 = time.perf_counter(); c0 = time.thread_time()
        f = net(x); t1 = time.perf_counter()
        if a.objective == 'softmax':
            loss = F.cross_entropy(f @ bank.t() / t, idx)
        else:
            neg = torch.randint(0, n, (b, k + 1)); neg[:, 0] = idx
            if a.nce_form == 'gather':
                s = torch.bmm(bank[neg.view(-1)].view(b, k + 1, 128), f.view(b, 128, 1)).view(b, k + 1)
            else:
                s = (f @ bank.t()).gather(1, neg)
            pr = torch.exp(s / t)
            if z is None:
                z = pr.mean().item() * n
            pr = pr / z
            pn = k / n
            lp = torch.log(pr[:, 0] / (pr[:, 0] + pn + 1e-7)).sum()
            ln = torch.log(pn / (pr[:, 1:] + pn + 1e-7)).sum()
            loss = -(lp + ln) / b
        t2 = time.perf_counter()
        opt.zero_grad(); loss.backward(); t3 = time.perf_counter()
        opt.step(); t4 = time.perf_counter()
        with torch.no_grad():
            bank[idx] = F.normalize(bank[idx] * 0.5 + f.detach() * 0.5, dim=1)
        t5 = time.perf_counter(); c5 = time.thread_time()
        if step >= a.warmup:
            times.append(t5 - t0); cpu_times.append(c5 - c0)
            for key, d in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
                phases[key] += d * 1000 / a.steps
    med = statistics.median(times); med_cpu = statistics.median(cpu_times)
    out = dict(backbone=a.backbone, objective=a.objective, nce_form=a.nce_form, batch=b, threads=a.threads,
               bank_size=n, images_per_s=b / med, median_step_ms=med * 1000,
               cpu_images_per_s=b / med_cpu, median_step_cpu_ms=med_cpu * 1000, phase_ms=phases, torch=torch.__version__)
    print(json.dumps(out))
    if a.json:
        json.dump(out, open(a.json, 'w'), indent=2)


if __name__ == '__main__':
    main()
