package dev.cortado.examples;

import dev.cortado.autograd.RemovableHandle;
import dev.cortado.models.SwinTransformer;
import dev.cortado.models.VisionTransformer;
import dev.cortado.nn.F;
import dev.cortado.nn.InterpolationMode;
import dev.cortado.nn.Module;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Grad-CAM (Selvaraju et al., 2017), the "where does the network look" picture of CNN courses:
 * the last feature map of (N, C, H, W) with H, W ≥ 2 that the forward pass produces, its channels
 * weighted by the mean gradient of the class score over each channel, summed, passed through
 * ReLU, scaled up to the image and to [0, 1]. The feature map is found by hooking every module,
 * so it is the same layer the usual recipe picks (ResNet's layer4, VGG's last block).
 */
final class GradCam {
    private GradCam() {
    }

    /** The (H, W) map in [0, 1] at the size of {@code image} (1, 3, H, W) for class {@code cls}; all zeros where the class has no positive evidence. */
    static Tensor map(Module model, Tensor image, int cls) {
        if (model instanceof VisionTransformer || model instanceof SwinTransformer) {
            throw new IllegalArgumentException("Grad-CAM: needs a convolutional model's (N, C, H, W) feature maps; "
                    + model.getClass().getSimpleName() + " works on tokens");
        }
        if (image.dim() != 4 || image.size(0) != 1) {
            throw new IllegalArgumentException("Grad-CAM: expects one image (1, C, H, W), got " + Shapes.str(image.shape()));
        }
        Tensor[] last = new Tensor[1];
        List<RemovableHandle> hooks = new ArrayList<>();
        for (Module m : model.modules()) {
            hooks.add(m.registerForwardHook((mod, in, out) -> {
                if (out.dim() == 4 && out.size(2) >= 2 && out.size(3) >= 2 && out.requiresGrad()) {
                    last[0] = out;
                }
                return null;
            }));
        }
        Tensor scores;
        try {
            scores = model.call(image);
        } finally {
            hooks.forEach(RemovableHandle::remove);
        }
        if (last[0] == null) {
            throw new IllegalArgumentException("Grad-CAM: " + model.getClass().getSimpleName()
                    + " made no (N, C, H, W) map of at least 2×2 that requires grad (are its parameters frozen?)");
        }
        if (cls < 0 || cls >= scores.size(1)) {
            throw new IllegalArgumentException("Grad-CAM: class " + cls + " is out of range for " + scores.size(1) + " classes");
        }
        Tensor features = last[0];
        features.retainGrad();
        scores.select(1, cls).sum().backward();
        Tensor weights = features.grad().mean(new int[] {2, 3}, true);
        Tensor cam = features.detach().mul(weights).sum(new int[] {1}, true).relu();
        Tensor up = F.interpolate(cam, new int[] {image.size(2), image.size(3)}, InterpolationMode.BILINEAR, false).squeeze(0).squeeze(0);
        double max = up.max().item();
        return max > 0 ? up.div(max) : up;
    }

    /** The image (3, H, W) in [0, 1] with the map laid over it in red: 60 % image, 40 % heat. */
    static Tensor overlay(Tensor image, Tensor heat) {
        Tensor zero = heat.zerosLike();
        Tensor red = Tensor.stack(List.of(heat, zero, zero), 0);
        return image.mul(0.6).add(red.mul(0.4)).clamp(0, 1);
    }
}
