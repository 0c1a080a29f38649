# Writes the torch.save files that TorchSerializationTest reads. Values are simple formulas
# (arange and friends), so the test can state them without PyTorch.
#   python3 make_fixtures.py      (PyTorch 1.13; any later version writes the same format)
# The legacy-layout files name their storages by memory address, so their bytes change from run to run.
import collections
import torch


def net_state():
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2), torch.nn.Flatten(), torch.nn.Linear(8, 3))
    with torch.no_grad():
        for i, (name, t) in enumerate(net.state_dict().items()):
            if name.endswith("running_var"):
                t.copy_(torch.arange(t.numel(), dtype=t.dtype) * 0.25 + 1)
            elif t.is_floating_point():
                t.copy_(torch.arange(t.numel(), dtype=t.dtype).reshape(t.shape) * 0.25 - i)
            else:
                t.fill_(7)
    return net.state_dict()


torch.save(net_state(), "net.pt")
torch.save(net_state(), "net_legacy.pt", _use_new_zipfile_serialization=False)

base = torch.arange(12.0).reshape(3, 4)
torch.save({
    "float64": torch.arange(3, dtype=torch.float64) / 3,
    "float16": torch.tensor([0.5, -2.0, 65504.0], dtype=torch.float16),
    "bfloat16": torch.tensor([1.5, -3.0, 1e30], dtype=torch.bfloat16),
    "int32": torch.tensor([-(2 ** 31), 0, 2 ** 31 - 1], dtype=torch.int32),
    "int16": torch.tensor([-32768, 1, 32767], dtype=torch.int16),
    "int8": torch.tensor([-128, 1, 127], dtype=torch.int8),
    "uint8": torch.tensor([0, 128, 255], dtype=torch.uint8),
    "bool": torch.tensor([True, False, True]),
    "int64": torch.tensor([-(2 ** 62), 5], dtype=torch.int64),
    "scalar": torch.tensor(2.5),
    "empty": torch.zeros(0, 3),
    "transposed": base.t(),            # strides (1, 4) into the shared storage
    "column": base[1:, 2],             # offset 6, stride 4
    "base": base,
}, "dtypes_views.pt")

torch.save({
    "model": collections.OrderedDict(w=torch.ones(2, 2)),
    "epoch": 3,
    "big": 2 ** 70,
    "best": 0.875,
    "name": "lenet",
    "history": [1.0, 0.5],
    "shape": (2, 3),
    "flags": {True: None, 4: "four"},
    "bytes": b"\x00\xff",
    "device": torch.device("cuda", 1),
    "size": torch.Size([5, 6]),
    "param": torch.nn.Parameter(torch.full((2,), 1.5)),
}, "checkpoint.pt")


class Custom:
    pass


torch.save({"obj": Custom()}, "custom_class.pt")


def optimizer_checkpoint(name, make, steps):
    # OptimizerTest's problem: loss = sum(c * p^2) + sum(p) from p = (1, -2, 3), c = (1, 2, 3).
    p = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    opt = make([p])

    def step():
        opt.zero_grad()
        ((p * p * torch.tensor([1.0, 2.0, 3.0])).sum() + p.sum()).backward()
        opt.step()

    for _ in range(steps):
        step()
    torch.save({"param": p.detach(), "optimizer": opt.state_dict()}, name)
    step()
    step()
    print(name, "after two more steps:", p.tolist())


optimizer_checkpoint("adam_checkpoint.pt", lambda ps: torch.optim.Adam(ps, 0.1, (0.8, 0.99), 1e-6, 0.1, True), 3)
optimizer_checkpoint("sgd_checkpoint.pt", lambda ps: torch.optim.SGD(ps, 0.05), 2)
optimizer_checkpoint("rprop_checkpoint.pt", lambda ps: torch.optim.Rprop(ps, 0.02, (0.4, 1.3), (1e-4, 0.5)), 4)
optimizer_checkpoint("rmsprop_checkpoint.pt", lambda ps: torch.optim.RMSprop(ps, 0.01, 0.9, 1e-7, 0.1, 0.5, True), 4)
optimizer_checkpoint("asgd_checkpoint.pt", lambda ps: torch.optim.ASGD(ps, 0.05, 0.01, 0.75, 2, 0.1), 4)


def lbfgs_checkpoint():
    # LBFGSTest's problem: Rosenbrock in a, plus a quartic bowl coupling b to a.
    a = torch.tensor([-1.2, 1.0], requires_grad=True)
    b = torch.tensor([[0.5, -0.3], [0.2, 0.8]], requires_grad=True)
    opt = torch.optim.LBFGS([a, b], max_iter=4, history_size=3, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        r = (1 - a[0]) ** 2 + 100 * (a[1] - a[0] ** 2) ** 2
        loss = r + ((b @ a - torch.tensor([1.0, -1.0])) ** 2).sum() + 0.1 * (b ** 4).sum()
        loss.backward()
        return loss

    for _ in range(2):
        opt.step(closure)
    torch.save({"a": a.detach(), "b": b.detach(), "optimizer": opt.state_dict()}, "lbfgs_checkpoint.pt")
    opt.step(closure)
    opt.step(closure)
    print("lbfgs_checkpoint.pt after two more steps:", a.tolist(), b.flatten().tolist())


lbfgs_checkpoint()


# numpy values and the dict subclasses that training checkpoints hold (MultiStepLR's milestones are a Counter).
import numpy as np

scheduler = torch.optim.lr_scheduler.MultiStepLR(torch.optim.SGD([torch.zeros(1, requires_grad=True)], 0.1), [30, 60])
torch.save({
    "acc": np.float64(0.875),
    "count": np.int64(-3),
    "flag": np.bool_(True),
    "small": np.float32(0.1),
    "c_order": np.arange(6, dtype=np.float32).reshape(2, 3),
    "f_order": np.asfortranarray(np.arange(6, dtype=np.int32).reshape(2, 3)),
    "big_endian": np.array([1.5, -2.0], dtype=">f8"),
    "half": np.array([0.5, 65504], dtype=np.float16),
    "mask": np.array([True, False]),
    "bytes": np.array([0, 200], dtype=np.uint8),
    "scheduler": scheduler.state_dict(),
    "groups": collections.defaultdict(list, {"a": [1]}),
}, "numpy_values.pt")

# Schedulers mid-run: MultiStepLR after 35 epochs (lr 0.1 -> 0.01), ReduceLROnPlateau after a plateau.
weights = torch.zeros(1, requires_grad=True)
sgd = torch.optim.SGD([weights], 0.1, momentum=0.9)
multistep = torch.optim.lr_scheduler.MultiStepLR(sgd, [30, 60], 0.1)
for _ in range(35):
    sgd.step()
    multistep.step()
plateau_sgd = torch.optim.SGD([torch.zeros(1, requires_grad=True)], 0.1)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(plateau_sgd, patience=2)
for loss in [1.0, 0.5, 0.6, 0.7]:
    plateau.step(loss)
torch.save({"optimizer": sgd.state_dict(), "multistep": multistep.state_dict(), "plateau": plateau.state_dict()},
           "scheduler_checkpoint.pt")

# Pickle protocol 4 (frames, memoize, short strings) in both layouts.
small = {"w": torch.arange(6.0).reshape(2, 3), "n": torch.tensor(3)}
torch.save(small, "protocol4.pt", pickle_protocol=4)
torch.save(small, "protocol4_legacy.pt", pickle_protocol=4, _use_new_zipfile_serialization=False)

# A plain pickle (pickle.dump, protocol 4) with numpy arrays, for TorchSerialization.loadPickle.
import pickle

with open("plain.pkl", "wb") as f:
    pickle.dump({"pixels": np.arange(6, dtype=np.uint8).reshape(2, 3), "fortran": np.asfortranarray(np.arange(6.0).reshape(2, 3)),
                 "count": 3, "name": "x"}, f, protocol=4)
