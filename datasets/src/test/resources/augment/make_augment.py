# Writes augment_cases.txt.gz, which AutoAugmentTest reads: torchvision 0.14's _apply_op on uint8
# images, for every operation of each augmentation space at a few magnitude bins and both signs,
# nearest and bilinear (with and without fill) for the geometric ones.
# Lines: "image C H W v..." for the inputs (CHW order), then
# "case SPACE OP BIN SIGN BILINEAR FILL|- IMAGE MAGNITUDE v..." with the expected output.
import gzip

import torch
from torchvision.transforms import autoaugment as A, InterpolationMode as IM

torch.manual_seed(0)
images = [torch.randint(30, 200, (3, 9, 11), dtype=torch.uint8), torch.randint(0, 256, (1, 8, 7), dtype=torch.uint8)]
spaces = {"auto": (lambda n, hw: A.AutoAugment()._augmentation_space(n, hw), 10),
          "rand": (lambda n, hw: A.RandAugment()._augmentation_space(n, hw), 31),
          "wide": (lambda n, hw: A.TrivialAugmentWide()._augmentation_space(n), 31),
          "augmix": (lambda n, hw: A.AugMix()._augmentation_space(n, hw), 10)}
geometric = ("ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate")
with gzip.open("augment_cases.txt.gz", "wt") as out:
    for img in images:
        out.write("image " + " ".join(str(d) for d in img.shape) + " " + " ".join(str(v) for v in img.flatten().tolist()) + "\n")
    for space, (make, n) in spaces.items():
        for index, img in enumerate(images):
            for op, (mags, signed) in make(n, tuple(img.shape[-2:])).items():
                bins = [0, 3, n - 1] if mags.ndim > 0 else [-1]
                for b in bins:
                    m = float(mags[b].item()) if b >= 0 else 0.0
                    for sign in ([1, -1] if signed else [1]):
                        modes = [(IM.NEAREST, None), (IM.BILINEAR, None), (IM.BILINEAR, [90.0] * img.shape[0])] if op in geometric else [(IM.NEAREST, None)]
                        for interp, fill in modes:
                            y = A._apply_op(img, op, m * sign, interpolation=interp, fill=fill)
                            out.write(f"case {space} {op} {b} {sign} {int(interp == IM.BILINEAR)} {'-' if fill is None else fill[0]} {index} "
                                      f"{m * sign!r} " + " ".join(str(v) for v in y.flatten().tolist()) + "\n")
