"""PyTorch twin of `./cortado bench`: median ms per training step of the same six workloads.
usage: torch_bench.py THREADS STEPS WARMUP [WORKLOAD ...]   (one JSON line per workload)
BENCH_MIN_TIME=S keeps timing steps, beyond STEPS, until S seconds have passed.
BENCH_PROFILE=1 then runs STEPS more steps under torch.profiler and prints a second line per
workload: each kernel's (on the CPU: each operator's) calls and milliseconds per step, as
`./cortado bench --profile` does."""
import json
import os
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    print(json.dumps({"skipped": "PyTorch is not installed (apt-get install python3-torch libopenblas0-pthread)"}))
    sys.exit(0)


class SimpleCNN(nn.Module):  # inductive-bias notebook: 3 filters, kernel 7, reflect padding, global max pool
    def __init__(self, filters=3, k=7, classes=3):
        super().__init__()
        self.conv1 = nn.Conv2d(1, filters, k, padding=k // 2, padding_mode='reflect')
        self.conv2 = nn.Conv2d(filters, filters, k, padding=k // 2, padding_mode='reflect')
        self.fc = nn.Linear(filters, classes)

    def forward(self, x):
        x = F.relu(self.conv2(F.relu(self.conv1(x))))
        return self.fc(F.adaptive_max_pool2d(x, 1).flatten(1))


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 3, padding=1); self.conv2 = nn.Conv2d(6, 16, 3, padding=1)
        self.fc1 = nn.Linear(784, 120); self.fc2 = nn.Linear(120, 84); self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2); x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x.flatten(1))))))


class CNN3(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1); self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1); self.fc1 = nn.Linear(576, 128); self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        for c in (self.conv1, self.conv2, self.conv3):
            x = F.max_pool2d(F.relu(c(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


class ThreeLayerConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 100, 5, padding=2); self.conv2 = nn.Conv2d(100, 100, 3, padding=1)
        self.fc = nn.Linear(100 * 32 * 32, 10)

    def forward(self, x):
        return self.fc(F.relu(self.conv2(F.relu(self.conv1(x)))).flatten(1))


class BasicBlock(nn.Module):  # ResNet notebook: max-pool + zero-channel shortcut
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); self.bn2 = nn.BatchNorm2d(cout)
        self.stride, self.extra = stride, cout - cin

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        s = F.max_pool2d(x, self.stride) if self.stride > 1 else x
        if self.extra:
            s = torch.cat([s, s.new_zeros(s.size(0), self.extra, s.size(2), s.size(3))], 1)
        return F.relu(y + s)


class ResNet(nn.Module):
    def __init__(self, n=3, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False); self.bn1 = nn.BatchNorm2d(16)
        blocks, c = [], 16
        for stage in range(3):
            w = 16 << stage
            for b in range(n):
                blocks.append(BasicBlock(c, w, 2 if stage and not b else 1)); c = w
        self.blocks = nn.Sequential(*blocks); self.fc = nn.Linear(64, classes)

    def forward(self, x):
        x = self.blocks(F.relu(self.bn1(self.conv1(x))))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


class SequenceClassifier(nn.Module):
    """Not a notebook model: a 2-layer LSTM whose last step a linear layer classifies, for the recurrent layers."""
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(64, 128, 2, batch_first=True)
        self.fc = nn.Linear(128, 10)

    def forward(self, x):
        return self.fc(self.lstm(x)[0][:, -1])


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(),
                         nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


WORKLOADS = {  # name: (model, batch, sample shape, classes)
    "mnist_fc_b128": (mlp, 128, (1, 28, 28), 10),
    "mnist_lenet_b128": (LeNet, 128, (1, 28, 28), 10),
    "mnist_cnn3_b128": (CNN3, 128, (1, 28, 28), 10),
    "edge_simplecnn7_b32": (SimpleCNN, 32, (1, 28, 28), 3),
    "cifar_3layerconv_b64": (ThreeLayerConvNet, 64, (3, 32, 32), 10),
    "cifar_resnet20_b128": (ResNet, 128, (3, 32, 32), 10),
    "seq_lstm2_b32": (SequenceClassifier, 32, (35, 64), 10),
    # torchvision is imported only when these run.
    "imagenet_resnet18_b16": (lambda: __import__("torchvision.models").models.resnet18(), 16, (3, 224, 224), 1000),
    "imagenet_mobilenetv3s_b16": (lambda: __import__("torchvision.models").models.mobilenet_v3_small(), 16, (3, 224, 224), 1000),
}


# BENCH_DEVICE=cuda times the GPU: float32 throughout (TF32 off, as in Cortado by default) and
# cuDNN autotuning on (Cortado also measures the algorithms once per shape).
DEVICE = os.environ.get("BENCH_DEVICE", "cpu")
if DEVICE != "cpu":
    torch.backends.cudnn.benchmark = True
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False


def training_step(name):
    make, batch, shape, classes = WORKLOADS[name]
    torch.manual_seed(0)
    m = make().train().to(DEVICE)
    x = torch.randn(batch, *shape).to(DEVICE)
    y = torch.randint(0, classes, (batch,)).to(DEVICE)
    opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)

    def step():
        opt.zero_grad()
        F.cross_entropy(m(x), y).backward()
        opt.step()
        if DEVICE != "cpu":
            torch.cuda.synchronize()  # the step's kernels are queued, not done, when step() returns
    return step


def profile(name, steps, warmup):
    """Calls and milliseconds per step of each GPU kernel (each operator's own time on the CPU)."""
    from torch.profiler import ProfilerActivity
    step = training_step(name)
    for _ in range(warmup):
        step()
    gpu = DEVICE != "cpu"
    activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if gpu else [])
    with torch.profiler.profile(activities=activities) as prof:
        for _ in range(steps):
            step()
    rows = []
    for e in prof.key_averages():
        if gpu:
            if not str(getattr(e, "device_type", "")).endswith("CUDA"):
                continue
            us = getattr(e, "self_device_time_total", None)
            if us is None:
                us = getattr(e, "self_cuda_time_total", 0)
        else:
            us = e.self_cpu_time_total
        rows.append({"name": e.key, "calls_per_step": round(e.count / steps, 2), "ms_per_step": round(us / 1e3 / steps, 4)})
    rows.sort(key=lambda r: -r["ms_per_step"])
    return rows


def median_ms(name, steps, warmup, min_seconds=0.0):
    step = training_step(name)
    for _ in range(warmup):
        step()
    times = []
    begin = time.perf_counter()
    # At least `steps` steps, and beyond them as many as fit in min_seconds, as `./cortado bench --min-time`.
    while len(times) < steps or time.perf_counter() - begin < min_seconds:
        t = time.perf_counter()
        step()
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    n = len(times)
    return (times[n // 2] if n % 2 else (times[n // 2 - 1] + times[n // 2]) / 2), n


if __name__ == "__main__":
    threads, steps, warmup = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    min_seconds = float(os.environ.get("BENCH_MIN_TIME", "0"))
    torch.set_num_threads(threads)
    for name in sys.argv[4:] or list(WORKLOADS):
        if name not in WORKLOADS:
            sys.exit(f"torch_bench.py: unknown workload '{name}'; known: {', '.join(WORKLOADS)}")
        ms, n = median_ms(name, steps, warmup, min_seconds)
        print(json.dumps({"workload": name, "ms_per_step": round(ms, 2), "steps": n, "threads": threads, "device": DEVICE}), flush=True)
        if os.environ.get("BENCH_PROFILE") == "1":
            print(json.dumps({"workload": name, "device": DEVICE, "profile_steps": steps, "profile": profile(name, steps, warmup)}),
                  flush=True)
