"""PyTorch's side of ConvBenchmark's layer strings and of InferenceBenchmark, timed the same way.

  python3 benchmarks/torch_layers.py conv NAME:batch/in/size/out/kernel/stride/padding/reflect[/groups] ...
  python3 benchmarks/torch_layers.py pool NAME:batch/channels/size[/kernel/stride/padding] ...   (max pooling)
  python3 benchmarks/torch_layers.py inference MODEL ...   (torchvision classifiers, batch 8, 224x224)

Each prints the median milliseconds of forward (and, for layers, forward + backward of the sum)
over at least 10 calls and 2 s after 2 s of warm-up, with 2 threads (--threads N to change).
"""
import statistics
import sys
import time

import torch


def timed(fn, warmup=2.0, minimum=2.0):
    end = time.perf_counter() + warmup
    while time.perf_counter() < end:
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < 10 or time.perf_counter() - start < minimum:
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def conv(spec):
    name, shape = spec.split(":")
    v = [int(f) for f in shape.split("/")]
    groups = v[8] if len(v) > 8 else 1
    torch.manual_seed(0)
    x = torch.randn(v[0], v[1], v[2], v[2], requires_grad=True)
    w = (torch.randn(v[3], v[1] // groups, v[4], v[4]) * 0.1).requires_grad_()
    b = torch.zeros(v[3], requires_grad=True)
    mode = "reflect" if v[7] == 1 else "zeros"
    layer = torch.nn.Conv2d(v[1], v[3], v[4], v[5], v[6], groups=groups, padding_mode=mode)
    layer.weight = torch.nn.Parameter(w.detach())
    layer.bias = torch.nn.Parameter(b.detach())

    def forward():
        with torch.no_grad():
            layer(x)

    def forward_backward():
        x.grad = None
        layer.zero_grad(set_to_none=True)
        layer(x).sum().backward()

    print("%-28s forward %8.3f ms   forward+backward %8.3f ms" % (name, timed(forward), timed(forward_backward)), flush=True)


def pool(spec):
    name, shape = spec.split(":")
    v = [int(f) for f in shape.split("/")] + [2, 2, 0][len(shape.split("/")) - 3:]
    torch.manual_seed(0)
    x = torch.randn(v[0], v[1], v[2], v[2], requires_grad=True)

    def forward():
        with torch.no_grad():
            torch.nn.functional.max_pool2d(x, v[3], v[4], v[5])

    def forward_backward():
        x.grad = None
        torch.nn.functional.max_pool2d(x, v[3], v[4], v[5]).sum().backward()

    print("%-28s forward %8.3f ms   forward+backward %8.3f ms" % (name, timed(forward), timed(forward_backward)), flush=True)


def inference(name):
    import torchvision
    torch.manual_seed(0)
    model = torchvision.models.get_model(name).eval()
    x = torch.randn(8, 3, 224, 224)

    def forward():
        with torch.no_grad():
            model(x)

    print("%-28s forward %8.1f ms" % (name, timed(forward)), flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    threads = 2
    if "--threads" in args:
        i = args.index("--threads")
        threads = int(args[i + 1])
        del args[i:i + 2]
    torch.set_num_threads(threads)
    kind, items = args[0], args[1:]
    for item in items:
        {"conv": conv, "pool": pool, "inference": inference}[kind](item)
