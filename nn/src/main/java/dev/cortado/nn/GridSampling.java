package dev.cortado.nn;

import dev.cortado.tensor.CustomFunction;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * PyTorch's {@code F.affine_grid} and {@code F.grid_sample} for 2-D images, composed of tensor
 * ops so that every backend has them and both the input and the grid get gradients: positions
 * follow PyTorch's unnormalise, clip and reflect formulas, bilinear weights are its products of
 * distances to the four neighbours, and the neighbours are read with {@code gather}.
 */
final class GridSampling {
    private GridSampling() {
    }

    /** theta (N, 2, 3) and size (N, C, H, W) to the sampling grid (N, H, W, 2) of normalised (x, y) positions. */
    static Tensor affineGrid(Tensor theta, int[] size, boolean alignCorners) {
        if (size.length != 4) {
            throw new IllegalArgumentException("affine_grid: only 2-D sizes (N, C, H, W) are supported, got " + java.util.Arrays.toString(size));
        }
        if (theta.dim() != 3 || theta.size(1) != 2 || theta.size(2) != 3 || theta.size(0) != size[0]) {
            throw new IllegalArgumentException("affine_grid: expected a theta of shape (N, 2, 3) with N = " + size[0] + " for size "
                    + java.util.Arrays.toString(size) + ", got " + Shapes.str(theta.shape()));
        }
        int n = size[0];
        int h = size[2];
        int w = size[3];
        Tensor xs = steps(w, alignCorners, theta).reshape(1, w).expand(h, w);
        Tensor ys = steps(h, alignCorners, theta).reshape(h, 1).expand(h, w);
        Tensor base = Tensor.stack(java.util.List.of(xs, ys, Tensor.ones(new int[] {h, w}, DType.FLOAT32, theta.device())), 2);
        Tensor grid = base.reshape(1, h * w, 3).expand(n, h * w, 3).matmul(theta.transpose(1, 2));
        return grid.reshape(n, h, w, 2);
    }

    /** -1 to 1 in n steps, pulled in to pixel centres without alignCorners, as PyTorch's linspace_from_neg_one. */
    private static Tensor steps(int n, boolean alignCorners, Tensor like) {
        Tensor range = Tensor.linspace(-1, 1, n).to(like.device());
        return alignCorners || n <= 1 ? range : range.mul(n - 1).div(n);
    }

    static Tensor gridSample(Tensor input, Tensor grid, InterpolationMode mode, GridPadding padding, boolean alignCorners) {
        if (input.dim() != 4 || grid.dim() != 4 || grid.size(3) != 2 || grid.size(0) != input.size(0)) {
            throw new IllegalArgumentException("grid_sample: expected an input (N, C, H, W) and a grid (N, H_out, W_out, 2) with the same N, got "
                    + Shapes.str(input.shape()) + " and " + Shapes.str(grid.shape()));
        }
        if (input.dtype() != DType.FLOAT32 || grid.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("grid_sample: input and grid must be float32, got " + input.dtype() + " and " + grid.dtype());
        }
        if (!input.device().equals(grid.device())) {
            throw new IllegalArgumentException("grid_sample: input is on " + input.device() + " but grid is on " + grid.device());
        }
        if (mode != InterpolationMode.NEAREST && mode != InterpolationMode.BILINEAR) {
            throw new IllegalArgumentException("grid_sample: mode " + mode.pyName() + " is not supported; use bilinear or nearest");
        }
        int n = input.size(0);
        int c = input.size(1);
        int h = input.size(2);
        int w = input.size(3);
        int ho = grid.size(1);
        int wo = grid.size(2);
        if (h == 0 || w == 0) {
            throw new IllegalArgumentException("grid_sample: the input's spatial size must not be empty, got " + Shapes.str(input.shape()));
        }
        Tensor ix = sourceIndex(grid.select(3, 0), w, padding, alignCorners);
        Tensor iy = sourceIndex(grid.select(3, 1), h, padding, alignCorners);
        Tensor flat = input.reshape(n, c, h * w);
        if (mode == InterpolationMode.NEAREST) {
            Tensor out = corner(flat, ix.round(), iy.round(), h, w, c).reshape(n, c, ho, wo);
            if (!grid.requiresGrad()) {
                return out;
            }
            // The positions reach the output only through rounding: PyTorch gives the grid a
            // gradient of zeros, where autograd alone would give it none.
            return CustomFunction.record(out.detach(), "GridSampler2DBackward0", (g, needs) -> new Tensor[] {g, grid.zerosLike()}, out, grid);
        }
        Tensor x0 = ix.floor();
        Tensor y0 = iy.floor();
        Tensor x1 = x0.add(1);
        Tensor y1 = y0.add(1);
        // PyTorch's weights: each corner's is the area of the rectangle to the opposite corner,
        // from the distances to each side as its CPU kernel forms them.
        Tensor west = ix.sub(x0);
        Tensor east = west.rsub(1);
        Tensor north = iy.sub(y0);
        Tensor south = north.rsub(1);
        Tensor nw = south.mul(east);
        Tensor ne = south.mul(west);
        Tensor sw = north.mul(east);
        Tensor se = north.mul(west);
        Tensor out = corner(flat, x0, y0, h, w, c).mul(nw.unsqueeze(1))
                .add(corner(flat, x1, y0, h, w, c).mul(ne.unsqueeze(1)))
                .add(corner(flat, x0, y1, h, w, c).mul(sw.unsqueeze(1)))
                .add(corner(flat, x1, y1, h, w, c).mul(se.unsqueeze(1)));
        return out.reshape(n, c, ho, wo);
    }

    /**
     * The input's values at integer positions (x, y) of shape (N, H_out, W_out), as (N, C, H_out,
     * W_out): 0 where the position is outside the image, which also takes no gradient.
     */
    private static Tensor corner(Tensor flat, Tensor x, Tensor y, int h, int w, int c) {
        Tensor inside = x.ge(0).mul(x.le(w - 1)).mul(y.ge(0)).mul(y.le(h - 1));
        int n = x.size(0);
        int points = x.size(1) * x.size(2);
        // Positions outside read pixel 0 and are then zeroed, so that the index is always valid.
        Tensor index = y.clamp(0, h - 1).mul(w).add(x.clamp(0, w - 1)).mul(inside).to(DType.INT64).reshape(n, 1, points).expand(n, c, points);
        Tensor values = flat.gather(2, index);
        return Tensor.where(inside.reshape(n, 1, points), values, Tensor.zeros(new int[0], DType.FLOAT32, flat.device()))
                .reshape(n, c, x.size(1), x.size(2));
    }

    /** Normalised coordinates to pixel positions, then PyTorch's padding rule applied to them. */
    private static Tensor sourceIndex(Tensor coord, int size, GridPadding padding, boolean alignCorners) {
        // In the order of PyTorch's vectorised CPU kernel, whose roundings decide where nearest lands on a half.
        Tensor p = alignCorners ? coord.add(1).mul((size - 1) / 2.0) : coord.add(1).mul(size / 2.0).sub(0.5);
        if (padding == GridPadding.BORDER) {
            p = clip(p, size);
        } else if (padding == GridPadding.REFLECTION) {
            p = clip(alignCorners ? reflect(p, 0, 2 * (size - 1)) : reflect(p, -1, 2 * size - 1), size);
        }
        // A NaN position reads no pixel and gives NaN through its weights, as PyTorch 1.13's does.
        return p;
    }

    /** Clamped to [0, size - 1], with no gradient at or beyond the bounds, as PyTorch's clip_coordinates_set_grad. */
    private static Tensor clip(Tensor p, int size) {
        Tensor inside = p.gt(0).mul(p.lt(size - 1));
        return Tensor.where(inside, p, p.detach().clamp(0, size - 1));
    }

    /** PyTorch's reflect_coordinates: mirrored into [twiceLow / 2, twiceHigh / 2] as often as needed. */
    private static Tensor reflect(Tensor p, int twiceLow, int twiceHigh) {
        if (twiceLow == twiceHigh) {
            return p.mul(0);
        }
        double min = twiceLow / 2.0;
        double span = (twiceHigh - twiceLow) / 2.0;
        Tensor d = p.sub(min).abs();
        Tensor flips = d.div(span).floor();
        Tensor extra = d.sub(flips.mul(span));
        Tensor even = flips.div(2).floor().mul(2).eq(flips);
        return Tensor.where(even, extra.add(min), extra.neg().add(span + min));
    }
}
