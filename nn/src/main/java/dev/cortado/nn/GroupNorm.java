package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.GroupNorm(num_groups, num_channels, eps=1e-5, affine=True)}: weight ones, bias zeros, one per channel. */
public final class GroupNorm extends Module {
    public final Tensor weight;
    public final Tensor bias;
    private final int numGroups;
    private final int numChannels;
    private final double eps;

    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, 1e-5, true);
    }

    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        if (numGroups <= 0 || numChannels <= 0 || numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: num_channels must be divisible by num_groups (both positive), got num_groups="
                    + numGroups + ", num_channels=" + numChannels);
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        weight = affine ? registerParameter("weight", Tensor.ones(numChannels)) : null;
        bias = affine ? registerParameter("bias", Tensor.zeros(numChannels)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() < 2 || x.size(1) != numChannels) {
            throw new IllegalArgumentException("GroupNorm(" + numGroups + ", " + numChannels + "): expected an input (N, " + numChannels
                    + ", *), got " + dev.cortado.tensor.Shapes.str(x.shape()));
        }
        return traced(F.groupNorm(x, numGroups, weight, bias, eps));
    }

    @Override
    protected String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + Py.floatRepr(eps) + ", affine=" + (weight != null ? "True" : "False");
    }
}
