"""The inductive-bias study's SimpleCNN (3 filters, kernel 7, reflect padding, global max pooling)
and ThreeLayerMLP (784-50-10-classes) trained in PyTorch with the notebook's recipe (SGD lr 0.01,
momentum 0.9, batch 32, shuffled, cross-entropy) on an edge set written by EdgeExport.java, so
PyTorch and Cortado are compared on the very same images.
usage: edge_torch.py DATA.safetensors EPOCHS SEED [MODEL ...]
models: cnn, mlp (default both), and Q7's cnn-wide (8 filters), cnn-deep (4 convolutions), cnn-wide-deep.
Prints one JSON line per model with its final validation accuracy in percent, its lowest training
loss and its last one (a late spike shows as last >> lowest)."""
import json, struct, sys
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

def read(path):
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]; hdr = json.loads(f.read(n)); blob = f.read()
    out = {}
    for k, v in hdr.items():
        if k == '__metadata__': continue
        a, b = v['data_offsets']; dt = {'F32': np.float32, 'I64': np.int64}[v['dtype']]
        out[k] = torch.from_numpy(np.frombuffer(blob[a:b], dt).reshape(v['shape']).copy())
    return out

class SimpleCNN(nn.Module):
    def __init__(s, classes, filters=3, k=7, depth=2):
        super().__init__()
        s.convs = nn.ModuleList(nn.Conv2d(1 if i == 0 else filters, filters, k, padding=k // 2, padding_mode='reflect') for i in range(depth))
        s.fc = nn.Linear(filters, classes)
    def forward(s, x):
        for c in s.convs:
            x = F.relu(c(x))
        return s.fc(F.adaptive_max_pool2d(x, 1).flatten(1))

MODELS = {'cnn': lambda c: SimpleCNN(c), 'cnn-wide': lambda c: SimpleCNN(c, 8), 'cnn-deep': lambda c: SimpleCNN(c, 3, 7, 4),
          'cnn-wide-deep': lambda c: SimpleCNN(c, 8, 7, 4)}

def mlp(classes):
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 50), nn.ReLU(), nn.Linear(50, 10), nn.ReLU(), nn.Linear(10, classes))

d = read(sys.argv[1]); epochs = int(sys.argv[2]); seed = int(sys.argv[3]); kinds = sys.argv[4:] or ['cnn', 'mlp']
torch.set_num_threads(1)
classes = int(d['y'].max()) + 1
for kind in kinds:
    torch.manual_seed(seed)
    m = MODELS[kind](classes) if kind in MODELS else mlp(classes)
    opt = torch.optim.SGD(m.parameters(), lr=1e-2, momentum=0.9)
    n = d['x'].shape[0]
    losses = []
    for e in range(epochs):
        m.train()
        total = 0.0
        for ix in torch.randperm(n).split(32):
            opt.zero_grad(); loss = F.cross_entropy(m(d['x'][ix]), d['y'][ix]); loss.backward(); opt.step()
            total += loss.item() * len(ix)
        losses.append(total / n)
    m.eval()
    with torch.no_grad():
        acc = (m(d['valid_x']).argmax(1) == d['valid_y']).float().mean().item() * 100
    print(json.dumps({"model": kind, "epochs": epochs, "seed": seed, "valid_acc": round(acc, 2), "lowest_train_loss": round(min(losses), 5),
                      "last_train_loss": round(losses[-1], 5)}), flush=True)
