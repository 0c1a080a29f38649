# Writes torchvision_keys.txt.gz, which ModelsTest reads: every state-dict key of torchvision 0.14's
# models with its shape, "builder key d0,d1,...". VGG and AlexNet's classifiers hold over 100
# million parameters, so only VGG's feature layers are listed, and the ViT is a small one of the same layout.
import gzip

import torch
import torchvision.models as M
from torchvision.models.vgg import make_layers, cfgs

models = {
    "resnet18": M.resnet18(),
    "resnet50": M.resnet50(),
    "resnext50_32x4d": M.resnext50_32x4d(),
    "mobilenet_v2": M.mobilenet_v2(),
    "mobilenet_v3_large": M.mobilenet_v3_large(),
    "mobilenet_v3_small": M.mobilenet_v3_small(),
    "efficientnet_b0": M.efficientnet_b0(),
    "efficientnet_b3": M.efficientnet_b3(),
    "efficientnet_v2_s": M.efficientnet_v2_s(),
    "convnext_tiny": M.convnext_tiny(),
    "densenet121": M.densenet121(),
    "squeezenet1_0": M.squeezenet1_0(),
    "shufflenet_v2_x1_0": M.shufflenet_v2_x1_0(),
    "mnasnet0_5": M.mnasnet0_5(),
    "googlenet": M.googlenet(init_weights=False),
    "inception_v3": M.inception_v3(init_weights=False),
    "regnet_y_400mf": M.regnet_y_400mf(),
    "regnet_x_400mf": M.regnet_x_400mf(),
    "swin_t": M.swin_t(),
    "swin_v2_t": M.swin_v2_t(),
    "maxvit_t": M.maxvit_t(),
    "vit_tiny": M.VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=2, hidden_dim=16, mlp_dim=32, num_classes=10),
    "vgg11_bn.features": make_layers(cfgs["A"], batch_norm=True),
    "vgg16.features": make_layers(cfgs["D"], batch_norm=False),
}
with gzip.open("torchvision_keys.txt.gz", "wt") as out:
    for name, model in models.items():
        for key, value in model.state_dict().items():
            out.write(f"{name} {key} {','.join(str(d) for d in value.shape)}\n")
