package dev.cortado.data;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.function.Function;

/**
 * torchvision's transforms for (C, H, W) float tensors. {@link #toTensor()} turns a stored
 * {@link Image} into one; crops, flips and padding act on tensors (as torchvision's do), so
 * they come after it: {@code toTensor().andThen(randomCrop(32, 4)).andThen(normalize(...))}.
 */
public final class Transforms {
    private Transforms() {
    }

    /**
     * torchvision's {@code ImageClassification} preset, what {@code weights.transforms()} returns
     * for its pretrained classifiers: the shorter side resized to resizeSize (antialiased,
     * "bilinear" or "bicubic"), a centre crop of cropSize, values scaled to [0, 1] and normalised.
     * With a model's weights: {@code imageClassification(w.resizeSize(), w.cropSize(),
     * w.interpolation(), w.mean(), w.std())}.
     */
    public static Transform<Image, Tensor> imageClassification(int resizeSize, int cropSize, String interpolation, double[] mean,
                                                               double[] std) {
        return toTensor().andThen(resize(resizeSize, interpolation)).andThen(centerCrop(cropSize)).andThen(normalize(mean, std));
    }

    /** {@code ToTensor()}: uint8 HWC to float32 CHW scaled to [0, 1]. */
    public static Transform<Image, Tensor> toTensor() {
        return img -> {
            int h = img.height(), w = img.width(), c = img.channels();
            float[] out = new float[c * h * w];
            byte[] p = img.pixels();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        out[(ch * h + y) * w + x] = (p[(y * w + x) * c + ch] & 0xFF) / 255f;
                    }
                }
            }
            return Tensor.fromArray(out, c, h, w);
        };
    }

    /**
     * {@code ConvertImageDtype(torch.uint8)}: a float32 (C, H, W) image in [0, 1] back to 8 bits,
     * v · (256 − 0.001) truncated as torchvision converts (so k / 255 comes back as k), for the
     * 8-bit steps ({@link AutoAugment}, {@link ImageOps}) on images that are tensors already.
     */
    public static Transform<Tensor, Image> toImage() {
        return x -> {
            if (x.dim() != 3) {
                throw new IllegalArgumentException("ConvertImageDtype: expected a (C, H, W) image, got " + Shapes.str(x.shape()));
            }
            int c = x.size(0), h = x.size(1), w = x.size(2);
            float[] v = x.contiguous().toFloatArray();
            byte[] px = new byte[v.length];
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < h * w; p++) {
                    float f = v[ch * h * w + p];
                    if (!(f >= 0 && f <= 1)) {
                        throw new IllegalArgumentException("ConvertImageDtype: values must be in [0, 1] (an image before Normalize), got " + f
                                + " in channel " + ch);
                    }
                    px[p * c + ch] = (byte) (int) (f * (255 + 1.0f - 0.001f));
                }
            }
            return new Image(px, h, w, c);
        };
    }

    /** {@code Normalize(mean, std)} per channel: (x − mean[c]) / std[c]; one value applies to every channel. */
    public static Transform<Tensor, Tensor> normalize(double[] mean, double[] std) {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("Normalize: mean and std need the same, positive number of values, got " + mean.length
                    + " and " + std.length);
        }
        for (double s : std) {
            if (s == 0) {
                throw new IllegalArgumentException("Normalize: std evaluated to zero, leading to division by zero");
            }
        }
        return x -> {
            int c = x.size(0);
            if (mean.length != 1 && mean.length != c) {
                throw new IllegalArgumentException("Normalize: " + mean.length + " means for an image " + Shapes.str(x.shape())
                        + " with " + c + " channels");
            }
            float[] m = new float[c];
            float[] s = new float[c];
            for (int i = 0; i < c; i++) {
                m[i] = (float) mean[mean.length == 1 ? 0 : i];
                s[i] = (float) std[std.length == 1 ? 0 : i];
            }
            Tensor mt = Tensor.fromArray(m, new int[] {c, 1, 1}, x.device());
            Tensor st = Tensor.fromArray(s, new int[] {c, 1, 1}, x.device());
            return x.sub(mt).div(st);
        };
    }

    public static Transform<Tensor, Tensor> normalize(double mean, double std) {
        return normalize(new double[] {mean}, new double[] {std});
    }

    /** {@code Pad(padding)}: zero border of {@code padding} pixels on every side. */
    public static Transform<Tensor, Tensor> pad(int padding) {
        if (padding < 0) {
            throw new IllegalArgumentException("Pad: padding must be non-negative, got " + padding);
        }
        return x -> x.pad(padding, padding, padding, padding);
    }

    /** {@code RandomCrop(size, padding)}: zero-pad, then cut a size×size window at a random place. */
    public static Transform<Tensor, Tensor> randomCrop(int size, int padding) {
        if (size <= 0 || padding < 0) {
            throw new IllegalArgumentException("RandomCrop: size must be positive and padding non-negative, got " + size + ", " + padding);
        }
        return x -> {
            Tensor p = padding > 0 ? x.pad(padding, padding, padding, padding) : x;
            int h = p.size(p.dim() - 2), w = p.size(p.dim() - 1);
            if (h < size || w < size) {
                throw new IllegalArgumentException("RandomCrop: crop size " + size + " is larger than the padded image " + Shapes.str(p.shape()));
            }
            var g = SampleRandom.current();
            int top = (int) g.nextLong(h - size + 1);
            int left = (int) g.nextLong(w - size + 1);
            return p.narrow(p.dim() - 2, top, size).narrow(p.dim() - 1, left, size).contiguous();
        };
    }

    /** {@code RandomHorizontalFlip(p)}: mirrors left-right with probability p. */
    public static Transform<Tensor, Tensor> randomHorizontalFlip(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("RandomHorizontalFlip: p must be in [0, 1], got " + p);
        }
        return x -> SampleRandom.current().nextDouble() < p ? x.flip(x.dim() - 1).contiguous() : x;
    }

    /** {@code RandomVerticalFlip(p)}: mirrors top-bottom with probability p. */
    public static Transform<Tensor, Tensor> randomVerticalFlip(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("RandomVerticalFlip: p must be in [0, 1], got " + p);
        }
        return x -> SampleRandom.current().nextDouble() < p ? x.flip(x.dim() - 2).contiguous() : x;
    }

    /**
     * {@code CenterCrop(size)}: the size×size window in the middle (its corner rounded as Python
     * rounds halves, to even), after zero padding where the image is smaller, as torchvision does.
     */
    public static Transform<Tensor, Tensor> centerCrop(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("CenterCrop: size must be positive, got " + size);
        }
        return x -> {
            int hd = x.dim() - 2;
            int wd = x.dim() - 1;
            Tensor p = x;
            if (size > x.size(hd) || size > x.size(wd)) {
                int dw = Math.max(size - x.size(wd), 0);
                int dh = Math.max(size - x.size(hd), 0);
                p = x.pad(dw / 2, (dw + 1) / 2, dh / 2, (dh + 1) / 2);
            }
            int top = (int) Math.rint((p.size(hd) - size) / 2.0);
            int left = (int) Math.rint((p.size(wd) - size) / 2.0);
            return p.narrow(hd, top, size).narrow(wd, left, size).contiguous();
        };
    }

    /**
     * {@code Resize(size)}: the shorter side scaled to size and the longer one in proportion, by
     * antialiased bilinear resampling (torchvision's default for tensors since 0.17, PIL's always).
     */
    public static Transform<Tensor, Tensor> resize(int size) {
        return resize(size, "bilinear");
    }

    /**
     * {@code Resize(size, interpolation=InterpolationMode.BICUBIC)} with {@code "bicubic"}: antialiased
     * with PIL's cubic filter, as torchvision's tensor Resize with antialias (values may overshoot
     * [0, 1] slightly, as there). {@code "bilinear"} is {@link #resize(int)}.
     */
    public static Transform<Tensor, Tensor> resize(int size, String interpolation) {
        if (size <= 0) {
            throw new IllegalArgumentException("Resize: size must be positive, got " + size);
        }
        boolean bicubic = Resizing.bicubic(interpolation);
        return x -> Resizing.shorterSide(x, size, bicubic);
    }

    /** {@code Resize((height, width))}: to exactly that size, by antialiased bilinear resampling. */
    public static Transform<Tensor, Tensor> resize(int height, int width) {
        return resize(height, width, "bilinear");
    }

    /** {@code Resize((height, width), interpolation)}, "bilinear" or "bicubic". */
    public static Transform<Tensor, Tensor> resize(int height, int width, String interpolation) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("Resize: size must be positive, got (" + height + ", " + width + ")");
        }
        boolean bicubic = Resizing.bicubic(interpolation);
        return x -> Resizing.to(x, height, width, bicubic);
    }

    /** {@code RandomResizedCrop(size)} with torchvision's defaults: area 8 % to 100 %, aspect ratio 3/4 to 4/3. */
    public static Transform<Tensor, Tensor> randomResizedCrop(int size) {
        return randomResizedCrop(size, size, 0.08, 1.0, 3.0 / 4, 4.0 / 3);
    }

    /**
     * {@code RandomResizedCrop((height, width), scale, ratio)}: a window of a random fraction of the
     * area and a random aspect ratio (log-uniform), resized to height × width; after ten misses,
     * the centre crop, as torchvision does.
     */
    public static Transform<Tensor, Tensor> randomResizedCrop(int height, int width, double scaleMin, double scaleMax, double ratioMin,
                                                              double ratioMax) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("RandomResizedCrop: size must be positive, got (" + height + ", " + width + ")");
        }
        if (!(scaleMin > 0 && scaleMin <= scaleMax && ratioMin > 0 && ratioMin <= ratioMax)) {
            throw new IllegalArgumentException("RandomResizedCrop: scale and ratio must be positive ranges (min <= max), got scale (" + scaleMin
                    + ", " + scaleMax + ") and ratio (" + ratioMin + ", " + ratioMax + ")");
        }
        return x -> Resizing.randomResizedCrop(x, height, width, scaleMin, scaleMax, ratioMin, ratioMax);
    }

    /**
     * torchvision's {@code F.affine(img, angle, translate, scale, shear=0, fill=[0, 0, 0])}: rotates
     * clockwise by angle degrees about the centre, scales, then shifts by (tx, ty) pixels; zeros
     * come in at the edges. Nearest-neighbour sampling, torchvision's default, keeps pixel values;
     * bilinear blends, and its border pixels blend towards the fill as RandomAffine's and
     * RandomRotation's do (F.affine's own default, fill=None, leaves them unweighted).
     */
    public static Transform<Tensor, Tensor> affine(double angle, int tx, int ty, double scale, boolean bilinear) {
        return x -> AffineWarp.apply(x, angle, tx, ty, scale, bilinear);
    }

    /** As above, sheared by shearX and shearY degrees, as torchvision's {@code shear=[shearX, shearY]}. */
    public static Transform<Tensor, Tensor> affine(double angle, int tx, int ty, double scale, double shearX, double shearY, boolean bilinear) {
        return x -> AffineWarp.apply(x, angle, tx, ty, scale, shearX, shearY, bilinear);
    }

    /**
     * {@code RandomAffine(degrees, translate, scale)}: an angle drawn from [-degrees, degrees],
     * shifts of up to translate[0] of the width and translate[1] of the height (whole pixels,
     * rounded as Python rounds), and a scale drawn from [scaleMin, scaleMax]; nearest sampling.
     * {@code randomAffine(0, new double[] {0.1, 0.1}, 1, 1)} is the usual random translation.
     */
    public static Transform<Tensor, Tensor> randomAffine(double degrees, double[] translate, double scaleMin, double scaleMax) {
        return randomAffine(degrees, translate, scaleMin, scaleMax, null);
    }

    /**
     * As above, with torchvision's {@code shear}: {min, max} draws an x shear in degrees (its
     * single number s is {-s, s}), {xmin, xmax, ymin, ymax} an x and a y shear; null for none.
     * The draws come in torchvision's order: angle, translation, scale, shear.
     */
    public static Transform<Tensor, Tensor> randomAffine(double degrees, double[] translate, double scaleMin, double scaleMax, double[] shear) {
        if (shear != null && (shear.length != 2 && shear.length != 4 || !(shear[0] <= shear[1]) || shear.length == 4 && !(shear[2] <= shear[3])
                || java.util.Arrays.stream(shear).anyMatch(v -> !(Math.abs(v) < 90)))) {
            throw new IllegalArgumentException("RandomAffine: shear must be {min, max} or {xmin, xmax, ymin, ymax} degrees within (-90, 90), got "
                    + java.util.Arrays.toString(shear));
        }
        if (!(degrees >= 0)) {
            throw new IllegalArgumentException("RandomAffine: degrees must be non-negative, got " + degrees);
        }
        if (translate != null && (translate.length != 2 || !(translate[0] >= 0 && translate[0] <= 1) || !(translate[1] >= 0 && translate[1] <= 1))) {
            throw new IllegalArgumentException("RandomAffine: translate must be two fractions in [0, 1], got " + java.util.Arrays.toString(translate));
        }
        if (!(scaleMin > 0 && scaleMin <= scaleMax)) {
            throw new IllegalArgumentException("RandomAffine: scale must be a positive range (min <= max), got " + scaleMin + " to " + scaleMax);
        }
        return x -> {
            if (x.dim() != 3) {
                throw new IllegalArgumentException("RandomAffine: expected a (C, H, W) image, got " + Shapes.str(x.shape()));
            }
            var g = SampleRandom.current();
            double angle = uniform(g, -degrees, degrees);
            int tx = 0;
            int ty = 0;
            if (translate != null) {
                double maxDx = translate[0] * x.size(x.dim() - 1);
                double maxDy = translate[1] * x.size(x.dim() - 2);
                tx = (int) Math.rint(uniform(g, -maxDx, maxDx));
                ty = (int) Math.rint(uniform(g, -maxDy, maxDy));
            }
            double scale = scaleMin == scaleMax ? scaleMin : uniform(g, scaleMin, scaleMax);
            double shearX = shear == null ? 0 : uniform(g, shear[0], shear[1]);
            double shearY = shear == null || shear.length == 2 ? 0 : uniform(g, shear[2], shear[3]);
            return AffineWarp.apply(x, angle, tx, ty, scale, shearX, shearY, false);
        };
    }

    /** {@code RandomRotation(degrees)}: rotates counter-clockwise by an angle drawn from [-degrees, degrees]; nearest sampling, zeros outside. */
    public static Transform<Tensor, Tensor> randomRotation(double degrees) {
        if (!(degrees >= 0)) {
            throw new IllegalArgumentException("RandomRotation: degrees must be non-negative, got " + degrees);
        }
        // torchvision's rotate is affine with the angle negated: positive angles turn counter-clockwise.
        return x -> AffineWarp.apply(x, -uniform(SampleRandom.current(), -degrees, degrees), 0, 0, 1, false);
    }

    /** {@code Grayscale(num_output_channels)}: torchvision's luma (0.2989 R + 0.587 G + 0.114 B), repeated to 1 or 3 channels. */
    public static Transform<Tensor, Tensor> grayscale(int outputChannels) {
        if (outputChannels != 1 && outputChannels != 3) {
            throw new IllegalArgumentException("Grayscale: num_output_channels must be 1 or 3, got " + outputChannels);
        }
        return x -> {
            Photometric.requireImage("Grayscale", x, true);
            int plane = x.size(1) * x.size(2);
            float[] l = Photometric.luma(x.contiguous().toFloatArray(), plane);
            float[] out = new float[outputChannels * plane];
            for (int ch = 0; ch < outputChannels; ch++) {
                System.arraycopy(l, 0, out, ch * plane, plane);
            }
            return Tensor.fromArray(out, new int[] {outputChannels, x.size(1), x.size(2)}, x.device());
        };
    }

    /** {@code RandomGrayscale(p)}: with probability p, the image's grayscale repeated to its own number of channels. */
    public static Transform<Tensor, Tensor> randomGrayscale(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("RandomGrayscale: p must be in [0, 1], got " + p);
        }
        Transform<Tensor, Tensor> three = grayscale(3);
        // A one-channel image is its own grayscale.
        return x -> SampleRandom.current().nextDouble() < p && !(x.dim() == 3 && x.size(0) == 1) ? three.apply(x) : x;
    }

    /**
     * {@code ColorJitter(brightness, contrast, saturation)} on an RGB image in [0, 1]: factors
     * drawn from [max(0, 1 - b), 1 + b] and so on (0 leaves that one out), applied in a random
     * order, as torchvision does.
     */
    public static Transform<Tensor, Tensor> colorJitter(double brightness, double contrast, double saturation) {
        return colorJitter(brightness, contrast, saturation, 0);
    }

    /**
     * {@code ColorJitter(brightness, contrast, saturation, hue)}: as above, and a hue shift drawn
     * from [-hue, hue] (hue at most 0.5, a fraction of the colour wheel), the four applied in a
     * random order, as torchvision does. With hue 0 the draws are the three-argument form's.
     */
    public static Transform<Tensor, Tensor> colorJitter(double brightness, double contrast, double saturation, double hue) {
        if (!(brightness >= 0 && contrast >= 0 && saturation >= 0)) {
            throw new IllegalArgumentException("ColorJitter: brightness, contrast and saturation must be non-negative, got " + brightness + ", "
                    + contrast + ", " + saturation);
        }
        if (!(hue >= 0 && hue <= 0.5)) {
            throw new IllegalArgumentException("ColorJitter: hue values should be between (-0.5, 0.5), got " + hue);
        }
        int ops = hue == 0 ? 3 : 4;
        return x -> {
            Photometric.requireImage("ColorJitter", x, true);
            var g = SampleRandom.current();
            int[] order = g.permutation(ops);
            double[] amount = {brightness, contrast, saturation, hue};
            double[] factor = new double[ops];
            for (int i = 0; i < 3; i++) {
                factor[i] = amount[i] == 0 ? 1 : uniform(g, Math.max(0, 1 - amount[i]), 1 + amount[i]);
            }
            if (ops == 4) {
                factor[3] = uniform(g, -hue, hue);
            }
            int plane = x.size(1) * x.size(2);
            float[] v = x.contiguous().toFloatArray();
            for (int op : order) {
                if (amount[op] == 0) {
                    continue;
                }
                v = switch (op) {
                    case 0 -> Photometric.brightness(v, plane, factor[0]);
                    case 1 -> Photometric.contrast(v, plane, factor[1]);
                    case 2 -> Photometric.saturation(v, plane, factor[2]);
                    default -> Photometric.hue(v, plane, factor[3]);
                };
            }
            return Tensor.fromArray(v, x.shape(), x.device());
        };
    }

    /** torchvision's {@code adjust_hue(img, hue_factor)}: the hue of an RGB image in [0, 1] shifted by hueFactor in [-0.5, 0.5]. */
    public static Tensor adjustHue(Tensor image, double hueFactor) {
        if (!(hueFactor >= -0.5 && hueFactor <= 0.5)) {
            throw new IllegalArgumentException("adjust_hue: hue_factor (" + hueFactor + ") is not in [-0.5, 0.5]");
        }
        Photometric.requireImage("adjust_hue", image, true);
        int plane = image.size(1) * image.size(2);
        return Tensor.fromArray(Photometric.hue(image.contiguous().toFloatArray(), plane, hueFactor), image.shape(), image.device());
    }

    /** {@code GaussianBlur(kernel_size, sigma=(min, max))}: a Gaussian blur, sigma drawn from [min, max], the border reflected. */
    public static Transform<Tensor, Tensor> gaussianBlur(int kernelSize, double sigmaMin, double sigmaMax) {
        if (kernelSize <= 0 || kernelSize % 2 == 0) {
            throw new IllegalArgumentException("GaussianBlur: kernel size must be a positive odd number, got " + kernelSize);
        }
        if (!(sigmaMin > 0 && sigmaMin <= sigmaMax)) {
            throw new IllegalArgumentException("GaussianBlur: sigma must be a positive range (min <= max), got " + sigmaMin + " to " + sigmaMax);
        }
        return x -> {
            Photometric.requireImage("GaussianBlur", x, false);
            double sigma = sigmaMin == sigmaMax ? sigmaMin : uniform(SampleRandom.current(), sigmaMin, sigmaMax);
            float[] out = Photometric.gaussianBlur(x.contiguous().toFloatArray(), x.size(0), x.size(1), x.size(2), kernelSize, sigma);
            return Tensor.fromArray(out, x.shape(), x.device());
        };
    }

    /**
     * {@code RandomErasing(p, scale, ratio, value)}: with probability p, a rectangle covering a
     * fraction of the image drawn from [scaleMin, scaleMax], of aspect ratio drawn log-uniformly
     * from [ratioMin, ratioMax], set to value; after ten draws that do not fit, nothing is erased,
     * as in torchvision.
     */
    public static Transform<Tensor, Tensor> randomErasing(double p, double scaleMin, double scaleMax, double ratioMin, double ratioMax, double value) {
        if (!(p >= 0 && p <= 1) || !(scaleMin >= 0 && scaleMin <= scaleMax && scaleMax <= 1) || !(ratioMin > 0 && ratioMin <= ratioMax)) {
            throw new IllegalArgumentException("RandomErasing: needs p in [0, 1], 0 <= scale min <= max <= 1 and 0 < ratio min <= max, got p=" + p
                    + ", scale " + scaleMin + " to " + scaleMax + ", ratio " + ratioMin + " to " + ratioMax);
        }
        return x -> {
            Photometric.requireImage("RandomErasing", x, false);
            var g = SampleRandom.current();
            if (!(g.nextDouble() < p)) {
                return x;
            }
            int h = x.size(1);
            int w = x.size(2);
            for (int attempt = 0; attempt < 10; attempt++) {
                double area = h * w * uniform(g, scaleMin, scaleMax);
                double aspect = Math.exp(uniform(g, Math.log(ratioMin), Math.log(ratioMax)));
                int eh = (int) Math.rint(Math.sqrt(area * aspect));
                int ew = (int) Math.rint(Math.sqrt(area / aspect));
                if (!(eh < h && ew < w)) {
                    continue;
                }
                int top = (int) g.nextLong(h - eh + 1);
                int left = (int) g.nextLong(w - ew + 1);
                float[] v = x.contiguous().toFloatArray();
                for (int ch = 0; ch < x.size(0); ch++) {
                    for (int y = top; y < top + eh; y++) {
                        java.util.Arrays.fill(v, (ch * h + y) * w + left, (ch * h + y) * w + left + ew, (float) value);
                    }
                }
                return Tensor.fromArray(v, x.shape(), x.device());
            }
            return x;
        };
    }

    private static double uniform(dev.cortado.tensor.Generator g, double lo, double hi) {
        return lo + (hi - lo) * g.nextDouble();
    }

    /** Flattens a sample to a vector (for MLPs). */
    public static Transform<Tensor, Tensor> flatten() {
        return x -> x.reshape(-1);
    }

    /** {@code Lambda(fn)}: any function as a step. */
    public static <I, O> Transform<I, O> lambda(Function<I, O> fn) {
        return fn::apply;
    }
}
