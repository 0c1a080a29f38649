"""PyTorch twin of `./cortado bench-step`: ms per SGD-momentum training step.
usage: torch_step.py MODEL BATCH THREADS   (MODEL: cnn | fashion)"""
import torch, time, sys
import torch.nn as nn, torch.nn.functional as F
torch.manual_seed(0); torch.set_num_threads(int(sys.argv[3]))
class CNN(nn.Module):
    def __init__(s):
        super().__init__(); s.c1=nn.Conv2d(1,16,3,padding=1); s.c2=nn.Conv2d(16,32,3,padding=1); s.c3=nn.Conv2d(32,64,3,padding=1); s.f1=nn.Linear(576,128); s.f2=nn.Linear(128,10)
    def forward(s,x):
        x=F.max_pool2d(F.relu(s.c1(x)),2); x=F.max_pool2d(F.relu(s.c2(x)),2); x=F.max_pool2d(F.relu(s.c3(x)),2)
        return s.f2(F.relu(s.f1(x.flatten(1))))
class Fashion(nn.Module):
    def __init__(s):
        super().__init__(); s.c1=nn.Conv2d(1,32,3); s.c2=nn.Conv2d(32,64,3); s.f1=nn.Linear(1600,128); s.f2=nn.Linear(128,10)
    def forward(s,x):
        x=F.max_pool2d(F.relu(s.c1(x)),2); x=F.max_pool2d(F.relu(s.c2(x)),2)
        return F.relu(s.f2(F.relu(s.f1(x.flatten(1)))))
m = CNN() if sys.argv[1]=='cnn' else Fashion()
b=int(sys.argv[2]); x=torch.randn(b,1,28,28); y=torch.randint(0,10,(b,))
opt=torch.optim.SGD(m.parameters(),lr=0.01,momentum=0.9)
def step():
    opt.zero_grad(); F.cross_entropy(m(x),y).backward(); opt.step()
for _ in range(5): step()
t=time.perf_counter()
for _ in range(20): step()
print(f'{{"model": "{sys.argv[1]}", "batch": {b}, "threads": {torch.get_num_threads()}, "ms_per_step": {(time.perf_counter()-t)/20*1000:.2f}}}')
