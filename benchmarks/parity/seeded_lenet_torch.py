"""PyTorch's side of benchmarks/parity/seeded-lenet.sh: LeNet on MNIST from torch.manual_seed(SEED),
shuffled by DataLoader(generator=torch.Generator().manual_seed(SEED)), SGD with momentum; prints
one loss per step. Nothing is exported: Cortado draws the same weights and order from the seed.
    /usr/bin/python3 benchmarks/parity/seeded_lenet_torch.py SEED STEPS DATA_DIR"""
import gzip
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from torch_bench import LeNet  # noqa: E402  (the benchmarks' LeNet, the notebook's)


def idx(path, offset):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


seed, steps, data = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
torch.set_num_threads(1)
images = torch.from_numpy(idx(f"{data}/mnist/train-images-idx3-ubyte.gz", 16).copy()).reshape(-1, 1, 28, 28)
labels = torch.from_numpy(idx(f"{data}/mnist/train-labels-idx1-ubyte.gz", 8).astype(np.int64))
# torchvision's ToTensor and Normalize((0.1307,), (0.3081,)), in their order of float32 operations.
inputs = images.float().div(255).sub(0.1307).div(0.3081)
torch.manual_seed(seed)
model = LeNet()
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(inputs, labels), batch_size=128, shuffle=True,
                                     generator=torch.Generator().manual_seed(seed))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
done = 0
while done < steps:
    for x, y in loader:
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        print(f"{loss.item():.9g}")
        done += 1
        if done == steps:
            break
