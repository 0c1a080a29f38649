package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * {@code torch.nn.utils.spectral_norm} and {@code remove_spectral_norm}: the weight divided by
 * its largest singular value σ, estimated by power iteration, as in spectrally normalised GANs.
 * The trained parameter becomes {@code weight_orig} (the same tensor, so an optimizer made before
 * still trains it); the singular vectors u and v are the buffers {@code weight_u} and
 * {@code weight_v}. In training mode each call first advances u and v by nPowerIterations steps;
 * in evaluation mode they stay, so σ is the one training ended with.
 *
 * <pre>{@code
 * Conv2d conv = SpectralNorm.apply(new Conv2d(64, 128, 4, ConvOptions.DEFAULT.stride(2).padding(1)));
 * }</pre>
 */
public final class SpectralNorm extends WeightReparametrization {
    private final int nPowerIterations;
    private final double eps;
    private final int dim;

    private SpectralNorm(Module module, String name, int nPowerIterations, double eps, int dim) {
        super("SpectralNorm", module, name);
        this.nPowerIterations = nPowerIterations;
        this.eps = eps;
        this.dim = dim;
    }

    /** PyTorch's {@code spectral_norm(module)}: the weight, one power iteration per call, eps 1e-12. */
    public static <M extends Module> M apply(M module) {
        return apply(module, "weight", 1, 1e-12);
    }

    /**
     * Spectral norm on the named parameter, its rows along dim 0, or dim 1 for the transposed
     * convolutions (whose weight is (in, out, ...)), as PyTorch's default.
     */
    public static <M extends Module> M apply(M module, String name, int nPowerIterations, double eps) {
        boolean transposed = module instanceof ConvTranspose1d || module instanceof ConvTranspose2d || module instanceof ConvTranspose3d;
        return apply(module, name, nPowerIterations, eps, transposed ? 1 : 0);
    }

    /** Spectral norm of the weight seen as a matrix with {@code size(dim)} rows. */
    public static <M extends Module> M apply(M module, String name, int nPowerIterations, double eps, int dim) {
        Tensor weight = parameterToReplace("SpectralNorm", module, name);
        if (nPowerIterations <= 0) {
            throw new IllegalArgumentException("SpectralNorm: nPowerIterations must be positive, got " + nPowerIterations);
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("SpectralNorm: eps must be non-negative, got " + eps);
        }
        if (dim < 0 || dim >= weight.dim()) {
            throw new IllegalArgumentException("SpectralNorm: dim " + dim + " is out of range for " + name + " of shape "
                    + Shapes.str(weight.shape()) + "; it must be in [0, " + weight.dim() + ")");
        }
        SpectralNorm norm = new SpectralNorm(module, name, nPowerIterations, eps, dim);
        Tensor u;
        Tensor v;
        try (var off = GradMode.off()) {
            Tensor matrix = norm.matrix(weight);
            u = F.normalize(weight.newFull(new int[] {matrix.size(0)}, 0).normal_(0, 1), 2, 0, eps);
            v = F.normalize(weight.newFull(new int[] {matrix.size(1)}, 0).normal_(0, 1), 2, 0, eps);
        }
        module.removeParameter(name);
        module.registerParameter(name + "_orig", weight);
        module.registerBuffer(name + "_u", u);
        module.registerBuffer(name + "_v", v);
        // Until the first call the field holds the raw weight, as PyTorch's attribute does.
        norm.assign(module, weight.detach());
        norm.install(module);
        return module;
    }

    /** PyTorch's {@code remove_spectral_norm(module)}. */
    public static <M extends Module> M remove(M module) {
        return remove(module, "weight");
    }

    /**
     * Makes the normalised weight (with the current u and v) a plain parameter again under its
     * name, and drops {@code name_orig}, {@code name_u} and {@code name_v}.
     */
    public static <M extends Module> M remove(M module, String name) {
        find("SpectralNorm.remove", SpectralNorm.class, module, name).removeFrom(module, name + "_orig", name + "_u", name + "_v");
        return module;
    }

    @Override
    Tensor compute(Module module, boolean training) {
        Tensor weight = module.parameter(name + "_orig");
        Tensor u = module.buffer(name + "_u");
        Tensor v = module.buffer(name + "_v");
        Tensor matrix = matrix(weight);
        if (training) {
            try (var off = GradMode.off()) {
                for (int i = 0; i < nPowerIterations; i++) {
                    v.copy_(F.normalize(matrix.t().mv(u), 2, 0, eps));
                    u.copy_(F.normalize(matrix.mv(v), 2, 0, eps));
                }
                // σ's graph saves u and v; the next call's power iteration must not change what it saved.
                u = u.clone();
                v = v.clone();
            }
        }
        Tensor sigma = u.dot(matrix.mv(v));
        return weight.div(sigma);
    }

    /** The weight as a matrix: dim first, the other dims flattened into columns. */
    private Tensor matrix(Tensor weight) {
        Tensor w = weight;
        if (dim != 0) {
            int[] order = new int[w.dim()];
            order[0] = dim;
            for (int d = 0, k = 1; d < w.dim(); d++) {
                if (d != dim) {
                    order[k++] = d;
                }
            }
            w = w.permute(order);
        }
        return w.reshape(w.size(0), -1);
    }
}
