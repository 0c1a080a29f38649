package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * {@code torch.nn.utils.weight_norm} and {@code remove_weight_norm}: the weight written as
 * w = g · v / ‖v‖ (Salimans and Kingma), with the magnitude g ({@code weight_g}) and the
 * direction v ({@code weight_v}) trained as separate parameters. The norm is taken over every
 * dim but {@code dim}, so each output channel has its own g; dim -1 takes one norm over the whole
 * tensor (PyTorch's {@code dim=None}). Make the optimizer after applying it: the parameters change.
 *
 * <pre>{@code
 * Linear fc = WeightNorm.apply(new Linear(256, 10));        // fc.weight_g (10, 1), fc.weight_v (10, 256)
 * }</pre>
 */
public final class WeightNorm extends WeightReparametrization {
    private final int dim;

    private WeightNorm(Module module, String name, int dim) {
        super("WeightNorm", module, name);
        this.dim = dim;
    }

    /** PyTorch's {@code weight_norm(module)}: the weight, one g per slice along dim 0. */
    public static <M extends Module> M apply(M module) {
        return apply(module, "weight", 0);
    }

    /** Weight norm on the named parameter, one g per slice along dim (-1: one g for the whole tensor). */
    public static <M extends Module> M apply(M module, String name, int dim) {
        Tensor weight = parameterToReplace("WeightNorm", module, name);
        if (dim < -1 || dim >= weight.dim()) {
            throw new IllegalArgumentException("WeightNorm: dim " + dim + " is out of range for " + name + " of shape "
                    + Shapes.str(weight.shape()) + "; it must be in [0, " + weight.dim() + "), or -1 for the whole tensor");
        }
        WeightNorm norm = new WeightNorm(module, name, dim);
        Tensor g;
        try (var off = GradMode.off()) {
            g = normExceptDim(weight, dim);
        }
        module.removeParameter(name);
        module.registerParameter(name + "_g", g);
        // The old weight tensor becomes the direction v, so its data is shared, as in PyTorch.
        module.registerParameter(name + "_v", weight);
        norm.assign(module, norm.compute(module, module.isTraining()));
        norm.install(module);
        return module;
    }

    /** PyTorch's {@code remove_weight_norm(module)}. */
    public static <M extends Module> M remove(M module) {
        return remove(module, "weight");
    }

    /** Makes g · v / ‖v‖ a plain parameter again under its name, and drops {@code name_g} and {@code name_v}. */
    public static <M extends Module> M remove(M module, String name) {
        find("WeightNorm.remove", WeightNorm.class, module, name).removeFrom(module, name + "_g", name + "_v");
        return module;
    }

    @Override
    Tensor compute(Module module, boolean training) {
        Tensor g = module.parameter(name + "_g");
        Tensor v = module.parameter(name + "_v");
        return v.mul(g.div(normExceptDim(v, dim)));
    }

    /**
     * The 2-norm of each slice along dim, shaped to broadcast against v (size 1 in every other
     * dim), or of the whole tensor (a 0-dim value) for dim -1: PyTorch's {@code norm_except_dim}.
     */
    static Tensor normExceptDim(Tensor v, int dim) {
        if (dim == -1) {
            return v.norm();
        }
        int[] shape = new int[v.dim()];
        java.util.Arrays.fill(shape, 1);
        shape[dim] = v.size(dim);
        return v.transpose(0, dim).reshape(v.size(dim), -1).norm(2, new int[] {1}, false).reshape(shape);
    }
}
