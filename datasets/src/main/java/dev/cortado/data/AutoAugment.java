package dev.cortado.data;

import dev.cortado.tensor.Generator;

import java.util.List;

/**
 * torchvision's automatic augmentation policies on 8-bit images: {@code AutoAugment(policy)},
 * {@code RandAugment(num_ops, magnitude, num_magnitude_bins)},
 * {@code TrivialAugmentWide(num_magnitude_bins)} and {@code AugMix()}, with torchvision's operations
 * ({@link ImageOps}), magnitude grids (float32, as its tensors) and the way each draws its
 * operations. Put them before {@code toTensor()}, as torchvision requires uint8 or PIL images:
 * {@code AutoAugment.autoAugment(Policy.CIFAR10).andThen(Transforms.toTensor())}.
 */
public final class AutoAugment {
    /** {@code AutoAugmentPolicy}: the policies learned on ImageNet, CIFAR-10 and SVHN. */
    public enum Policy { IMAGENET, CIFAR10, SVHN }

    /** Sampling and fill of the geometric operations: nearest (torchvision's default) or bilinear; fill null for zeros. */
    public record Options(boolean bilinear, double[] fill) {
        public static final Options DEFAULT = new Options(false, null);
    }

    private AutoAugment() {
    }

    /** One operation of a sub-policy: applied with probability p at magnitude bin {@code bin} (-1 for none). */
    private record Step(String op, double p, int bin) {
    }

    /** {@code AutoAugment(policy)}: one of the policy's 25 sub-policies, each two operations applied with their probabilities. */
    public static Transform<Image, Image> autoAugment(Policy policy) {
        return autoAugment(policy, Options.DEFAULT);
    }

    public static Transform<Image, Image> autoAugment(Policy policy, Options options) {
        List<Step[]> policies = policies(policy);
        return img -> {
            Generator g = SampleRandom.current();
            Step[] chosen = policies.get((int) g.nextLong(policies.size()));
            Image out = img;
            for (Step s : chosen) {
                double draw = g.nextDouble();
                boolean negative = g.nextLong(2) == 0;
                if (draw <= s.p) {
                    double magnitude = s.bin < 0 ? 0 : Space.AUTO.magnitude(s.op, s.bin, 10, img.height(), img.width());
                    if (Space.AUTO.signed(s.op) && negative) {
                        magnitude = -magnitude;
                    }
                    out = apply(out, s.op, magnitude, options);
                }
            }
            return out;
        };
    }

    /** {@code RandAugment(num_ops=2, magnitude=9, num_magnitude_bins=31)}: numOps operations drawn uniformly, all at one magnitude. */
    public static Transform<Image, Image> randAugment(int numOps, int magnitude, int numMagnitudeBins) {
        return randAugment(numOps, magnitude, numMagnitudeBins, Options.DEFAULT);
    }

    public static Transform<Image, Image> randAugment(int numOps, int magnitude, int numMagnitudeBins, Options options) {
        if (numOps < 0 || numMagnitudeBins < 2 || magnitude < 0 || magnitude >= numMagnitudeBins) {
            throw new IllegalArgumentException("RandAugment: needs num_ops ≥ 0, num_magnitude_bins ≥ 2 and 0 ≤ magnitude < num_magnitude_bins, got "
                    + numOps + ", " + numMagnitudeBins + " and " + magnitude);
        }
        List<String> ops = Space.RAND.ops();
        return img -> {
            Generator g = SampleRandom.current();
            Image out = img;
            for (int i = 0; i < numOps; i++) {
                String op = ops.get((int) g.nextLong(ops.size()));
                double m = Space.RAND.magnitude(op, magnitude, numMagnitudeBins, img.height(), img.width());
                if (Space.RAND.signed(op) && g.nextLong(2) == 1) {
                    m = -m;
                }
                out = apply(out, op, m, options);
            }
            return out;
        };
    }

    /** {@code TrivialAugmentWide(num_magnitude_bins=31)}: one operation at a magnitude drawn uniformly from its wide range. */
    public static Transform<Image, Image> trivialAugmentWide(int numMagnitudeBins) {
        return trivialAugmentWide(numMagnitudeBins, Options.DEFAULT);
    }

    public static Transform<Image, Image> trivialAugmentWide(int numMagnitudeBins, Options options) {
        if (numMagnitudeBins < 2) {
            throw new IllegalArgumentException("TrivialAugmentWide: num_magnitude_bins must be at least 2, got " + numMagnitudeBins);
        }
        List<String> ops = Space.WIDE.ops();
        return img -> {
            Generator g = SampleRandom.current();
            String op = ops.get((int) g.nextLong(ops.size()));
            double m = Space.WIDE.hasMagnitudes(op) ? Space.WIDE.magnitude(op, (int) g.nextLong(numMagnitudeBins), numMagnitudeBins, img.height(),
                    img.width()) : 0;
            if (Space.WIDE.signed(op) && g.nextLong(2) == 1) {
                m = -m;
            }
            return apply(img, op, m, options);
        };
    }

    /**
     * {@code AugMix(severity=3, mixture_width=3, chain_depth=-1, alpha=1.0, all_ops=True)}, bilinear:
     * the image mixed with {@code mixtureWidth} chains of 1 to 3 operations (or {@code chainDepth})
     * at magnitudes from the first {@code severity} of 10 bins; weights from Dirichlet(alpha) for
     * the chains and Beta(alpha, alpha) between the original and their mixture.
     */
    public static Transform<Image, Image> augMix() {
        return augMix(3, 3, -1, 1.0, true, new Options(true, null));
    }

    public static Transform<Image, Image> augMix(int severity, int mixtureWidth, int chainDepth, double alpha, boolean allOps, Options options) {
        if (severity < 1 || severity > 10) {
            throw new IllegalArgumentException("AugMix: the severity must be between [1, 10], got " + severity);
        }
        if (mixtureWidth < 1 || !(alpha > 0)) {
            throw new IllegalArgumentException("AugMix: mixture_width and alpha must be positive, got " + mixtureWidth + " and " + alpha);
        }
        List<String> ops = allOps ? Space.AUGMIX.ops() : Space.AUGMIX.ops().subList(0, 9);
        return img -> {
            Generator g = SampleRandom.current();
            double[] beta = dirichlet(g, alpha, 2);
            double[] chains = dirichlet(g, alpha, mixtureWidth);
            Image[] augmented = new Image[mixtureWidth];
            float[] weights = new float[mixtureWidth];
            for (int i = 0; i < mixtureWidth; i++) {
                Image aug = img;
                int depth = chainDepth > 0 ? chainDepth : 1 + (int) g.nextLong(3);
                for (int d = 0; d < depth; d++) {
                    String op = ops.get((int) g.nextLong(ops.size()));
                    double m = Space.AUGMIX.hasMagnitudes(op)
                            ? Space.AUGMIX.magnitude(op, (int) g.nextLong(severity), 10, img.height(), img.width()) : 0;
                    if (Space.AUGMIX.signed(op) && g.nextLong(2) == 1) {
                        m = -m;
                    }
                    aug = apply(aug, op, m, options);
                }
                augmented[i] = aug;
                weights[i] = (float) chains[i] * (float) beta[1];
            }
            return mix(img, (float) beta[0], augmented, weights);
        };
    }

    /** AugMix's sum in float32, w₀ · image + Σ wᵢ · chainᵢ, truncated to 8 bits as torchvision's {@code .to(uint8)}. */
    static Image mix(Image img, float w0, Image[] chains, float[] weights) {
        byte[] out = new byte[img.pixels().length];
        for (int p = 0; p < out.length; p++) {
            float v = w0 * (img.pixels()[p] & 0xFF);
            for (int i = 0; i < chains.length; i++) {
                v += weights[i] * (chains[i].pixels()[p] & 0xFF);
            }
            out[p] = (byte) (int) Math.max(0f, Math.min(255f, v));
        }
        return new Image(out, img.height(), img.width(), img.channels());
    }

    /** A Dirichlet(alpha, ..., alpha) draw: k Gamma(alpha) draws over their sum. */
    static double[] dirichlet(Generator g, double alpha, int k) {
        double[] x = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            x[i] = gamma(g, alpha);
            sum += x[i];
        }
        for (int i = 0; i < k; i++) {
            x[i] /= sum;
        }
        return x;
    }

    /** Marsaglia and Tsang's Gamma(alpha, 1) sampler; below alpha 1, Gamma(alpha + 1) · U^(1 / alpha). */
    static double gamma(Generator g, double alpha) {
        if (alpha < 1) {
            return gamma(g, alpha + 1) * Math.pow(1 - g.nextDouble(), 1 / alpha);
        }
        double d = alpha - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z = g.normal(1)[0];
            double v = 1 + c * z;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = 1 - g.nextDouble();
            if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    /** torchvision's {@code _apply_op}: one named operation at a signed magnitude. */
    static Image apply(Image img, String op, double magnitude, Options o) {
        return switch (op) {
            // The shears turn about the top-left corner, as torchvision's (center=[0, 0]).
            case "ShearX" -> ImageOps.affine(img, 0, 0, 0, 1, Math.toDegrees(Math.atan(magnitude)), 0, new double[] {0, 0}, o.bilinear(), o.fill());
            case "ShearY" -> ImageOps.affine(img, 0, 0, 0, 1, 0, Math.toDegrees(Math.atan(magnitude)), new double[] {0, 0}, o.bilinear(), o.fill());
            case "TranslateX" -> ImageOps.affine(img, 0, (int) magnitude, 0, 1, 0, 0, null, o.bilinear(), o.fill());
            case "TranslateY" -> ImageOps.affine(img, 0, 0, (int) magnitude, 1, 0, 0, null, o.bilinear(), o.fill());
            case "Rotate" -> ImageOps.rotate(img, magnitude, o.bilinear(), o.fill());
            case "Brightness" -> ImageOps.adjustBrightness(img, 1.0 + magnitude);
            case "Color" -> ImageOps.adjustSaturation(img, 1.0 + magnitude);
            case "Contrast" -> ImageOps.adjustContrast(img, 1.0 + magnitude);
            case "Sharpness" -> ImageOps.adjustSharpness(img, 1.0 + magnitude);
            case "Posterize" -> ImageOps.posterize(img, (int) magnitude);
            case "Solarize" -> ImageOps.solarize(img, magnitude);
            case "AutoContrast" -> ImageOps.autocontrast(img);
            case "Equalize" -> ImageOps.equalize(img);
            case "Invert" -> ImageOps.invert(img);
            case "Identity" -> img;
            default -> throw new IllegalArgumentException("AutoAugment: unknown operation \"" + op + "\"");
        };
    }

    /**
     * The three augmentation spaces: the operations in torchvision's order (draws index them) and
     * each one's magnitudes for bin i of n, as its float32 {@code linspace} gives them.
     */
    enum Space {
        AUTO(List.of("ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate", "Brightness", "Color", "Contrast", "Sharpness", "Posterize", "Solarize",
                "AutoContrast", "Equalize", "Invert")),
        RAND(List.of("Identity", "ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate", "Brightness", "Color", "Contrast", "Sharpness", "Posterize",
                "Solarize", "AutoContrast", "Equalize")),
        WIDE(RAND.ops),
        AUGMIX(List.of("ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate", "Posterize", "Solarize", "AutoContrast", "Equalize", "Brightness",
                "Color", "Contrast", "Sharpness"));

        private final List<String> ops;

        Space(List<String> ops) {
            this.ops = ops;
        }

        List<String> ops() {
            return ops;
        }

        boolean hasMagnitudes(String op) {
            return !List.of("Identity", "AutoContrast", "Equalize", "Invert").contains(op);
        }

        boolean signed(String op) {
            return hasMagnitudes(op) && !op.equals("Posterize") && !op.equals("Solarize");
        }

        double magnitude(String op, int i, int n, int height, int width) {
            boolean wide = this == WIDE;
            boolean augMix = this == AUGMIX;
            return switch (op) {
                case "ShearX", "ShearY" -> linspace(0, wide ? 0.99 : 0.3, n, i);
                case "TranslateX" -> linspace(0, wide ? 32.0 : augMix ? width / 3.0 : 150.0 / 331.0 * width, n, i);
                case "TranslateY" -> linspace(0, wide ? 32.0 : augMix ? height / 3.0 : 150.0 / 331.0 * height, n, i);
                case "Rotate" -> linspace(0, wide ? 135.0 : 30.0, n, i);
                case "Brightness", "Color", "Contrast", "Sharpness" -> linspace(0, wide ? 0.99 : 0.9, n, i);
                // 8 − round(i / ((n − 1) / 4)), in float32 and rounding halves to even; 6 for the wide space, and from 4 for AugMix.
                case "Posterize" -> (augMix ? 4 : 8) - (int) Math.rint((float) i / (float) ((n - 1) / (wide ? 6.0 : 4.0)));
                case "Solarize" -> linspace(255, 0, n, i);
                default -> 0;
            };
        }
    }

    /** Value i of {@code torch.linspace(start, end, steps)} in float32: from the start for the first half, from the end for the rest. */
    static double linspace(double start, double end, int steps, int i) {
        float s = (float) start, e = (float) end;
        float step = (e - s) / (steps - 1);
        return i < steps / 2 ? s + step * i : e - step * (steps - 1 - i);
    }

    private static List<Step[]> policies(Policy policy) {
        String table = switch (policy) {
            case IMAGENET -> """
                    Posterize .4 8, Rotate .6 9; Solarize .6 5, AutoContrast .6; Equalize .8, Equalize .6; Posterize .6 7, Posterize .6 6;
                    Equalize .4, Solarize .2 4; Equalize .4, Rotate .8 8; Solarize .6 3, Equalize .6; Posterize .8 5, Equalize 1;
                    Rotate .2 3, Solarize .6 8; Equalize .6, Posterize .4 6; Rotate .8 8, Color .4 0; Rotate .4 9, Equalize .6;
                    Equalize 0, Equalize .8; Invert .6, Equalize 1; Color .6 4, Contrast 1 8; Rotate .8 8, Color 1 2;
                    Color .8 8, Solarize .8 7; Sharpness .4 7, Invert .6; ShearX .6 5, Equalize 1; Color .4 0, Equalize .6;
                    Equalize .4, Solarize .2 4; Solarize .6 5, AutoContrast .6; Invert .6, Equalize 1; Color .6 4, Contrast 1 8;
                    Equalize .8, Equalize .6""";
            case CIFAR10 -> """
                    Invert .1, Contrast .2 6; Rotate .7 2, TranslateX .3 9; Sharpness .8 1, Sharpness .9 3; ShearY .5 8, TranslateY .7 9;
                    AutoContrast .5, Equalize .9; ShearY .2 7, Posterize .3 7; Color .4 3, Brightness .6 7; Sharpness .3 9, Brightness .7 9;
                    Equalize .6, Equalize .5; Contrast .6 7, Sharpness .6 5; Color .7 7, TranslateX .5 8; Equalize .3, AutoContrast .4;
                    TranslateY .4 3, Sharpness .2 6; Brightness .9 6, Color .2 8; Solarize .5 2, Invert 0; Equalize .2, AutoContrast .6;
                    Equalize .2, Equalize .6; Color .9 9, Equalize .6; AutoContrast .8, Solarize .2 8; Brightness .1 3, Color .7 0;
                    Solarize .4 5, AutoContrast .9; TranslateY .9 9, TranslateY .7 9; AutoContrast .9, Solarize .8 3; Equalize .8, Invert .1;
                    TranslateY .7 9, AutoContrast .9""";
            case SVHN -> """
                    ShearX .9 4, Invert .2; ShearY .9 8, Invert .7; Equalize .6, Solarize .6 6; Invert .9, Equalize .6;
                    Equalize .6, Rotate .9 3; ShearX .9 4, AutoContrast .8; ShearY .9 8, Invert .4; ShearY .9 5, Solarize .2 6;
                    Invert .9, AutoContrast .8; Equalize .6, Rotate .9 3; ShearX .9 4, Solarize .3 3; ShearY .8 8, Invert .7;
                    Equalize .9, TranslateY .6 6; Invert .9, Equalize .6; Contrast .3 3, Rotate .8 4; Invert .8, TranslateY 0 2;
                    ShearY .7 6, Solarize .4 8; Invert .6, Rotate .8 4; ShearY .3 7, TranslateX .9 3; ShearX .1 6, Invert .6;
                    Solarize .7 2, TranslateY .6 7; ShearY .8 4, Invert .8; ShearX .7 9, TranslateY .8 3; ShearY .8 5, AutoContrast .7;
                    ShearX .7 2, Invert .1""";
        };
        List<Step[]> out = new java.util.ArrayList<>();
        for (String sub : table.split(";")) {
            String[] parts = sub.trim().split(",");
            Step[] steps = new Step[parts.length];
            for (int k = 0; k < parts.length; k++) {
                String[] f = parts[k].trim().split(" ");
                steps[k] = new Step(f[0], Double.parseDouble(f[1]), f.length > 2 ? Integer.parseInt(f[2]) : -1);
            }
            out.add(steps);
        }
        return List.copyOf(out);
    }
}
