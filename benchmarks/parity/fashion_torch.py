"""FashionMNIST ConvNet, SGD lr 0.1 momentum 0.9, batch 512, on the first 10,000 training images:
the PyTorch side of a step-by-step comparison with Cortado from identical weights and batches.
usage: fashion_torch.py SEED STEPS [DATA_DIR] [OUT_DIR]
Prints the loss of every step as JSON, then the accuracy on the first 1,000 test images, and
writes OUT_DIR/init<SEED>.safetensors (initial weights plus the batch order) for FashionParity.java."""
import torch, numpy as np, gzip, json, struct, sys, os
import torch.nn as nn, torch.nn.functional as F
seed=int(sys.argv[1]) if len(sys.argv)>1 else 0
steps=int(sys.argv[2]) if len(sys.argv)>2 else 60
data=sys.argv[3] if len(sys.argv)>3 else '../shared/data/fashion-mnist'
outdir=sys.argv[4] if len(sys.argv)>4 else '.'
torch.manual_seed(seed); torch.set_num_threads(2)
def idx(p):
    with gzip.open(p) as f: d=f.read()
    n=struct.unpack('>I',d[4:8])[0]
    if d[3]==3: return np.frombuffer(d,np.uint8,offset=16).reshape(n,28,28)
    return np.frombuffer(d,np.uint8,offset=8)
X=idx(os.path.join(data,'train-images-idx3-ubyte.gz')); Y=idx(os.path.join(data,'train-labels-idx1-ubyte.gz'))
X=torch.tensor(X[:10000].astype(np.float32)/255.).unsqueeze(1); X=(X-0.5)/0.5; Y=torch.tensor(Y[:10000].astype(np.int64))
class Net(nn.Module):
    def __init__(s):
        super().__init__(); s.conv1=nn.Conv2d(1,32,3); s.conv2=nn.Conv2d(32,64,3); s.fc1=nn.Linear(1600,128); s.fc2=nn.Linear(128,10)
    def forward(s,x):
        x=F.max_pool2d(F.relu(s.conv1(x)),2); x=F.max_pool2d(F.relu(s.conv2(x)),2)
        return F.relu(s.fc2(F.relu(s.fc1(x.flatten(1)))))
m=Net()
init={k:v.detach().clone() for k,v in m.state_dict().items()}
opt=torch.optim.SGD(m.parameters(),lr=0.1,momentum=0.9)
g=torch.Generator().manual_seed(seed)
perms=[torch.randperm(10000,generator=g) for _ in range(30)]
losses=[]
for s in range(steps):
    # 20 batches per epoch: 19 of 512 and one of 272, in the order of that epoch's permutation.
    p=perms[s//20]; j=s%20; ix=p[j*512:min((j+1)*512,10000)]
    opt.zero_grad(); out=m(X[ix]); l=F.cross_entropy(out,Y[ix]); l.backward(); opt.step(); losses.append(l.item())
print(json.dumps({"seed":seed,"losses":[round(x,5) for x in losses]}))
def save(path,t):
    hdr={}; off=0; blobs=[]
    for k,v in t.items():
        a=v.contiguous().numpy(); b=a.tobytes(); dt={'float32':'F32','int64':'I64'}[str(a.dtype)]
        hdr[k]={"dtype":dt,"shape":list(a.shape),"data_offsets":[off,off+len(b)]}; off+=len(b); blobs.append(b)
    h=json.dumps(hdr).encode(); h+=b' '*((8-len(h)%8)%8)
    with open(path,'wb') as f: f.write(struct.pack('<Q',len(h))); f.write(h); [f.write(b) for b in blobs]
init['order']=torch.cat([p for p in perms]).to(torch.int64)
save(os.path.join(outdir,f'init{seed}.safetensors'),init)
XT=idx(os.path.join(data,'t10k-images-idx3-ubyte.gz')); YT=idx(os.path.join(data,'t10k-labels-idx1-ubyte.gz'))
XT=(torch.tensor(XT[:1000].astype(np.float32)/255.).unsqueeze(1)-0.5)/0.5; YT=torch.tensor(YT[:1000].astype(np.int64))
with torch.no_grad(): acc=(m(XT).argmax(1)==YT).float().mean().item()*100
print(json.dumps({"seed":seed,"steps":steps,"last_losses":losses[-3:],"valid_acc":acc}))
