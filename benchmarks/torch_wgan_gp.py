"""The wgan-gp example in PyTorch, for timing side by side: the same generator, critic, penalty,
optimiser and schedule (--quick: 60 generator steps of 5 critic steps on 6,400 MNIST images).

    python3 benchmarks/torch_wgan_gp.py --data ../shared/data [--steps 60] [--threads 2]
    ./cortado wgan-gp --quick --data ../shared/data
"""
import argparse, gzip, os, time

import numpy as np
import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("--data", required=True, help="folder holding mnist/train-images-idx3-ubyte.gz (or the file itself)")
p.add_argument("--steps", type=int, default=60)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--threads", type=int, default=2)
a = p.parse_args()
torch.manual_seed(a.seed)
torch.set_num_threads(a.threads)
path = os.path.join(a.data, "mnist", "train-images-idx3-ubyte.gz")
if not os.path.exists(path):
    path = os.path.join(a.data, "train-images-idx3-ubyte.gz")
with gzip.open(path) as f:
    images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
images = images[np.random.default_rng(a.seed).permutation(len(images))[:6400]]
x = torch.tensor(images, dtype=torch.float32) / 255 * 2 - 1

G = nn.Sequential(nn.Linear(64, 128 * 49), nn.ReLU(), nn.Unflatten(1, (128, 7, 7)), nn.ConvTranspose2d(128, 64, 4, 2, 1),
                  nn.BatchNorm2d(64), nn.ReLU(), nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())
D = nn.Sequential(nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(64, 128, 4, 2, 1), nn.LeakyReLU(0.2), nn.Flatten(),
                  nn.Linear(128 * 49, 1))
opt_g = torch.optim.Adam(G.parameters(), 1e-4, betas=(0, 0.9))
opt_d = torch.optim.Adam(D.parameters(), 1e-4, betas=(0, 0.9))
batch, start, i = 64, time.time(), 0
for step in range(a.steps):
    w = gp = 0.0
    for _ in range(5):
        at = (i % (len(x) // batch)) * batch
        real = x[at:at + batch]
        i += 1
        with torch.no_grad():
            fake = G(torch.randn(batch, 64))
        eps = torch.rand(batch, 1, 1, 1)
        between = (eps * real + (1 - eps) * fake).requires_grad_(True)
        slope, = torch.autograd.grad(D(between).sum(), between, create_graph=True)
        penalty = ((slope.flatten(1).norm(2, dim=1) - 1) ** 2).mean()
        estimate = D(real).mean() - D(fake).mean()
        opt_d.zero_grad()
        (-estimate + 10 * penalty).backward()
        opt_d.step()
        w += estimate.item() / 5
        gp += penalty.item() / 5
    loss_g = -D(G(torch.randn(batch, 64))).mean()
    opt_g.zero_grad()
    loss_g.backward()
    opt_g.step()
    if step == 0 or (step + 1) % max(1, a.steps // 10) == 0 or step == a.steps - 1:
        print("step %5d/%d  Wasserstein estimate %8.4f  gradient penalty %7.4f  (%.1f s)" % (step + 1, a.steps, w, gp, time.time() - start))
