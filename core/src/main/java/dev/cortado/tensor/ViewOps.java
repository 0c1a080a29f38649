package dev.cortado.tensor;

import dev.cortado.backend.Backend;
import dev.cortado.backend.Backends;

import java.util.Arrays;

/** Views (no copy: reshape, permute, narrow, expand, flip, ...) and the copies they fall back to. */
final class ViewOps {
    private ViewOps() {
    }

    static Tensor clone(Tensor x) {
        Tensor out = Kernels.emptyLike(x, x.dtype());
        Kernels.backend(x).copy(out, x);
        return Autograd.record(out, "CloneBackward0", (g, n) -> new Tensor[] {g}, x);
    }

    static Tensor contiguous(Tensor x) {
        return x.isContiguous() ? x : clone(x);
    }

    static Tensor toDevice(Tensor x, Device device) {
        if (x.device().equals(device)) {
            return x;
        }
        Backend target = Backends.of(device);
        Tensor out = x.dtype() == DType.INT64 ? Creation.fromLongs(x.toLongArray(), x.shape, device)
                : Kernels.fresh(target.fromFloats(device, x.toFloatArray()), x.shape);
        Device from = x.device();
        return Autograd.record(out, "ToCopyBackward0", (g, n) -> new Tensor[] {g.to(from)}, x);
    }

    private static Tensor viewOf(Tensor x, int[] shape, int[] strides, int offset, String name) {
        Tensor out = Kernels.view(x, shape, strides, offset);
        int[] original = x.shape;
        return Autograd.record(out, name, (g, n) -> new Tensor[] {g.reshape(original)}, x);
    }

    static Tensor reshape(Tensor x, int[] requested, boolean viewOnly) {
        String op = viewOnly ? "view" : "reshape";
        int[] shape = inferShape(op, requested, x.numel());
        int[] strides = x.dim() == 0 || x.numel() == 0 ? Shapes.contiguousStrides(shape) : viewStrides(x.shape, x.strides, shape);
        if (strides == null) {
            if (viewOnly) {
                throw new IllegalArgumentException("view: shape " + Shapes.str(shape) + " is not compatible with input shape "
                        + Shapes.str(x.shape) + " and strides " + Shapes.str(x.strides)
                        + " (at least one dimension spans two non-contiguous subspaces); use reshape(...) instead");
            }
            return clone(x).reshape(shape);
        }
        return viewOf(x, shape, strides, x.offset, viewOnly ? "ViewBackward0" : "ReshapeAliasBackward0");
    }

    private static int[] inferShape(String op, int[] requested, int numel) {
        int[] shape = requested.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException(op + ": only one dimension can be inferred, got " + Arrays.toString(requested));
                }
                infer = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid shape dimension " + shape[i] + " in " + Arrays.toString(requested));
            } else {
                known *= shape[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException(op + ": shape " + Arrays.toString(requested) + " is invalid for input of size " + numel);
            }
            shape[infer] = (int) (numel / known);
        } else if (known != numel) {
            throw new IllegalArgumentException(op + ": shape " + Arrays.toString(requested) + " is invalid for input of size " + numel);
        }
        return shape;
    }

    /** Strides that let {@code newShape} view the same elements, or null when a copy is needed (PyTorch's rule). */
    private static int[] viewStrides(int[] oldShape, int[] oldStrides, int[] newShape) {
        int[] newStrides = new int[newShape.length];
        int viewD = newShape.length - 1;
        long chunkBase = oldStrides[oldStrides.length - 1];
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int tensorD = oldShape.length - 1; tensorD >= 0; tensorD--) {
            tensorNumel *= oldShape[tensorD];
            if (tensorD == 0 || oldShape[tensorD - 1] != 1 && oldStrides[tensorD - 1] != tensorNumel * chunkBase) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStrides[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) {
                    return null;
                }
                if (tensorD > 0) {
                    chunkBase = oldStrides[tensorD - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? newStrides : null;
    }

    static Tensor flatten(Tensor x, int startDim, int endDim) {
        if (x.dim() == 0) {
            return x.reshape(1);
        }
        int s = Shapes.dim("flatten", startDim, x.dim());
        int e = Shapes.dim("flatten", endDim, x.dim());
        if (s > e) {
            throw new IllegalArgumentException("flatten: startDim " + startDim + " comes after endDim " + endDim
                    + " for shape " + Shapes.str(x.shape));
        }
        int[] shape = new int[x.dim() - (e - s)];
        int j = 0;
        for (int i = 0; i < x.dim(); i++) {
            if (i <= s || i > e) {
                shape[j++] = x.shape[i];
            } else {
                shape[j - 1] *= x.shape[i];
            }
        }
        return x.reshape(shape);
    }

    static Tensor squeeze(Tensor x, Integer dim) {
        boolean[] drop = new boolean[x.dim()];
        if (dim == null) {
            for (int i = 0; i < x.dim(); i++) {
                drop[i] = x.shape[i] == 1;
            }
        } else if (x.dim() > 0) {
            int d = Shapes.dim("squeeze", dim, x.dim());
            drop[d] = x.shape[d] == 1;
        } else {
            Shapes.dim("squeeze", dim, 0);
        }
        int count = 0;
        for (boolean b : drop) {
            count += b ? 0 : 1;
        }
        int[] shape = new int[count];
        int[] strides = new int[count];
        for (int i = 0, j = 0; i < x.dim(); i++) {
            if (!drop[i]) {
                shape[j] = x.shape[i];
                strides[j++] = x.strides[i];
            }
        }
        return viewOf(x, shape, strides, x.offset, "SqueezeBackward0");
    }

    static Tensor unsqueeze(Tensor x, int dim) {
        int d = Shapes.dim("unsqueeze", dim, x.dim() + 1);
        int[] shape = new int[x.dim() + 1];
        int[] strides = new int[x.dim() + 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i == d) {
                shape[i] = 1;
                strides[i] = d < x.dim() ? x.strides[d] * x.shape[d] : 1;
            } else {
                shape[i] = x.shape[j];
                strides[i] = x.strides[j++];
            }
        }
        return viewOf(x, shape, strides, x.offset, "UnsqueezeBackward0");
    }

    static Tensor permute(Tensor x, int[] dims) {
        if (dims.length != x.dim()) {
            throw new IllegalArgumentException("permute: number of dims " + Arrays.toString(dims) + " does not match the "
                    + x.dim() + " dims of shape " + Shapes.str(x.shape));
        }
        int[] perm = new int[dims.length];
        boolean[] seen = new boolean[dims.length];
        for (int i = 0; i < dims.length; i++) {
            perm[i] = Shapes.dim("permute", dims[i], x.dim());
            if (seen[perm[i]]) {
                throw new IllegalArgumentException("permute: dims " + Arrays.toString(dims) + " repeat dim " + perm[i]);
            }
            seen[perm[i]] = true;
        }
        int[] shape = new int[dims.length];
        int[] strides = new int[dims.length];
        int[] inverse = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = x.shape[perm[i]];
            strides[i] = x.strides[perm[i]];
            inverse[perm[i]] = i;
        }
        Tensor out = Kernels.view(x, shape, strides, x.offset);
        return Autograd.record(out, "PermuteBackward0", (g, n) -> new Tensor[] {g.permute(inverse)}, x);
    }

    static Tensor transpose(Tensor x, int dim0, int dim1) {
        if (x.dim() == 0) {
            Shapes.dim("transpose", dim0, 0);
            Shapes.dim("transpose", dim1, 0);
            return x;
        }
        int[] perm = Shapes.all(x.dim());
        int a = Shapes.dim("transpose", dim0, x.dim());
        int b = Shapes.dim("transpose", dim1, x.dim());
        perm[a] = b;
        perm[b] = a;
        return permute(x, perm);
    }

    /** PyTorch's {@code movedim}: source dims go to destination positions, the others keep their order in the places left. */
    static Tensor movedim(Tensor x, int[] source, int[] destination) {
        if (source.length != destination.length) {
            throw new IllegalArgumentException("movedim: source " + Arrays.toString(source) + " and destination " + Arrays.toString(destination)
                    + " must name the same number of dims");
        }
        int rank = x.dim();
        if (rank == 0) {
            // A 0-dim tensor has one place for its (one) dim, as PyTorch treats it: nothing moves.
            for (int i = 0; i < source.length; i++) {
                Shapes.dim("movedim", source[i], 0);
                Shapes.dim("movedim", destination[i], 0);
            }
            if (source.length > 1) {
                throw new IllegalArgumentException("movedim: a 0-dim tensor has one dim to move, got " + source.length);
            }
            return x;
        }
        int[] perm = new int[rank];
        Arrays.fill(perm, -1);
        boolean[] moved = new boolean[rank];
        for (int i = 0; i < source.length; i++) {
            int s = Shapes.dim("movedim", source[i], rank);
            int d = Shapes.dim("movedim", destination[i], rank);
            if (moved[s]) {
                throw new IllegalArgumentException("movedim: repeated dim " + s + " in source " + Arrays.toString(source));
            }
            if (perm[d] != -1) {
                throw new IllegalArgumentException("movedim: repeated dim " + d + " in destination " + Arrays.toString(destination));
            }
            moved[s] = true;
            perm[d] = s;
        }
        for (int i = 0, next = 0; i < rank; i++) {
            if (perm[i] == -1) {
                while (moved[next]) {
                    next++;
                }
                perm[i] = next++;
            }
        }
        return permute(x, perm);
    }

    /**
     * {@code torch.diagonal}: the elements (i, i + offset) of dims dim1 and dim2, as a view whose
     * last dim walks the diagonal; the gradient is zeros with g written along the same diagonal.
     */
    static Tensor diagonal(Tensor x, int offset, int dim1, int dim2) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException("diagonal: expected a tensor of at least 2 dims, got shape " + Shapes.str(x.shape));
        }
        int a = Shapes.dim("diagonal", dim1, x.dim());
        int b = Shapes.dim("diagonal", dim2, x.dim());
        if (a == b) {
            throw new IllegalArgumentException("diagonal: dim1 and dim2 cannot be the same dimension (" + a + ")");
        }
        int length = Math.max(offset >= 0 ? Math.min(x.shape[a], x.shape[b] - offset) : Math.min(x.shape[a] + offset, x.shape[b]), 0);
        int start = length == 0 ? 0 : offset >= 0 ? offset * x.strides[b] : -offset * x.strides[a];
        int[] shape = new int[x.dim() - 1];
        int[] strides = new int[x.dim() - 1];
        for (int i = 0, j = 0; i < x.dim(); i++) {
            if (i != a && i != b) {
                shape[j] = x.shape[i];
                strides[j++] = x.strides[i];
            }
        }
        shape[shape.length - 1] = length;
        strides[strides.length - 1] = x.strides[a] + x.strides[b];
        Tensor out = Kernels.view(x, shape, strides, x.offset + start);
        int[] original = x.shape;
        return Autograd.record(out, "DiagonalBackward0", (g, n) -> {
            Tensor z = Creation.full(original, 0, g.dtype(), g.device());
            if (g.numel() > 0) {
                Kernels.backend(z).copy(diagonalOf(z, offset, a, b, g.shape), g);
            }
            // Recorded when g has a graph (a createGraph pass): its gradient is the diagonal again.
            return new Tensor[] {Autograd.record(z, "DiagonalBackwardBackward0", (gg, n2) -> new Tensor[] {gg.diagonal(offset, a, b)}, g)};
        }, x);
    }

    /** The raw strided view of z's diagonal, shaped like a diagonal() of it. */
    private static Tensor diagonalOf(Tensor z, int offset, int a, int b, int[] shape) {
        int start = offset >= 0 ? offset * z.strides[b] : -offset * z.strides[a];
        int[] strides = new int[z.dim() - 1];
        for (int i = 0, j = 0; i < z.dim(); i++) {
            if (i != a && i != b) {
                strides[j++] = z.strides[i];
            }
        }
        strides[strides.length - 1] = z.strides[a] + z.strides[b];
        return Kernels.view(z, shape.clone(), strides, z.offset + start);
    }

    /** {@code torch.meshgrid}: each 1-d (or 0-d) tensor expanded over the grid they span, "ij" (matrix) or "xy" (Cartesian) indexing. */
    static java.util.List<Tensor> meshgrid(java.util.List<Tensor> tensors, String indexing) {
        boolean xy = "xy".equals(indexing);
        if (!xy && !"ij".equals(indexing)) {
            throw new IllegalArgumentException("meshgrid: indexing must be \"ij\" or \"xy\", got \"" + indexing + "\"");
        }
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("meshgrid: expects a non-empty list of tensors");
        }
        int n = tensors.size();
        int[] shape = new int[n];
        for (int i = 0; i < n; i++) {
            Tensor t = tensors.get(i);
            if (t.dim() > 1) {
                throw new IllegalArgumentException("meshgrid: expects 0-d or 1-d tensors, got shape " + Shapes.str(t.shape) + " at position " + i);
            }
            shape[i] = t.numel();
        }
        // "xy" swaps the first two dims of the grid: x varies along columns, y along rows.
        int[] order = Shapes.all(n);
        if (xy && n >= 2) {
            order[0] = 1;
            order[1] = 0;
        }
        int[] grid = new int[n];
        for (int i = 0; i < n; i++) {
            grid[i] = shape[order[i]];
        }
        java.util.List<Tensor> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] view = new int[n];
            java.util.Arrays.fill(view, 1);
            int at = xy && n >= 2 && i < 2 ? 1 - i : i;
            view[at] = shape[i];
            out.add(tensors.get(i).reshape(view).expand(grid));
        }
        return out;
    }

    /**
     * {@code torch.rot90(x, k, dims)}: k quarter turns in the plane of dims d0 and d1, from d0 toward
     * d1 (a flip and a transpose, as PyTorch builds it); a new tensor, as PyTorch's.
     */
    static Tensor rot90(Tensor x, int k, int d0, int d1) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException("rot90: expected total dims >= 2, but got total dims = " + x.dim());
        }
        int a = Shapes.dim("rot90", d0, x.dim());
        int b = Shapes.dim("rot90", d1, x.dim());
        if (a == b) {
            throw new IllegalArgumentException("rot90: expected rotation dims to be different, but got dim0 = " + a + " and dim1 = " + b);
        }
        Tensor turned = switch (Math.floorMod(k, 4)) {
            case 1 -> x.flip(b).transpose(a, b);
            case 2 -> x.flip(a, b);
            case 3 -> x.flip(a).transpose(a, b);
            default -> x;
        };
        return turned.clone();
    }

    static Tensor narrow(Tensor x, int dim, int start, int length) {
        noScalar("narrow", x);
        int d = Shapes.dim("narrow", dim, x.dim());
        int size = x.shape[d];
        int s = start < 0 ? start + size : start;
        if (s < 0 || length < 0 || s + length > size) {
            throw new IndexOutOfBoundsException("narrow: start " + start + " and length " + length + " exceed dimension " + d
                    + " of size " + size + " in shape " + Shapes.str(x.shape));
        }
        return strided(x, d, s, length, 1, "NarrowBackward0");
    }

    static Tensor slice(Tensor x, int dim, int start, int end, int step) {
        noScalar("slice", x);
        int d = Shapes.dim("slice", dim, x.dim());
        if (step <= 0) {
            throw new IllegalArgumentException("slice: step must be positive, got " + step + " (use flip for reversed order)");
        }
        int size = x.shape[d];
        int s = Math.min(Math.max(start < 0 ? start + size : start, 0), size);
        int e = Math.min(Math.max(end < 0 ? end + size : end, s), size);
        return strided(x, d, s, (e - s + step - 1) / step, step, "SliceBackward0");
    }

    /** PyTorch's rule: a 0-dim tensor has no dim to take elements along, although dim 0 names it elsewhere. */
    private static void noScalar(String op, Tensor x) {
        if (x.dim() == 0) {
            throw new IllegalArgumentException(op + "() cannot be applied to a 0-dim tensor");
        }
    }

    private static Tensor strided(Tensor x, int d, int start, int length, int step, String name) {
        int[] shape = x.shape.clone();
        int[] strides = x.strides.clone();
        shape[d] = length;
        strides[d] *= step;
        Tensor out = Kernels.view(x, shape, strides, x.offset + (length == 0 ? 0 : start * x.strides[d]));
        return Autograd.recordNode(out, () -> new RegionNode(name, x, d, start, step, false), x);
    }

    static Tensor select(Tensor x, int dim, int index) {
        noScalar("select", x);
        int d = Shapes.dim("select", dim, x.dim());
        int size = x.shape[d];
        if (index < -size || index >= size) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of bounds for dimension " + d
                    + " with size " + size);
        }
        int i = index < 0 ? index + size : index;
        int[] shape = new int[x.dim() - 1];
        int[] strides = new int[x.dim() - 1];
        for (int k = 0, j = 0; k < x.dim(); k++) {
            if (k != d) {
                shape[j] = x.shape[k];
                strides[j++] = x.strides[k];
            }
        }
        Tensor out = Kernels.view(x, shape, strides, x.offset + i * x.strides[d]);
        return Autograd.recordNode(out, () -> new RegionNode("SelectBackward0", x, d, i, 1, true), x);
    }

    /** Zeros of {@code shape} with g written at positions start, start+step, ... along dim. */
    static Tensor embed(Tensor g, int[] shape, int dim, int start, int step) {
        Tensor z = Creation.full(shape, 0, g.dtype(), g.device());
        Kernels.backend(z).copy(region(z, g.shape, dim, start, step), g);
        // Recorded when g has a graph (a createGraph pass): its gradient is that region again.
        int length = g.shape[dim];
        return Autograd.record(z, "SliceBackwardBackward0", (gg, n) -> new Tensor[] {strided(gg, dim, start, length, step, "SliceBackward0")}, g);
    }

    /** The view of whole at positions start, start+step, ... along dim, of the given shape. */
    static Tensor region(Tensor whole, int[] shape, int dim, int start, int step) {
        int[] strides = whole.strides.clone();
        strides[dim] *= step;
        return Kernels.view(whole, shape.clone(), strides, whole.offset + (shape[dim] == 0 ? 0 : start * whole.strides[dim]));
    }

    static Tensor expand(Tensor x, int[] sizes) {
        if (sizes.length < x.dim()) {
            throw new IllegalArgumentException("expand: the number of sizes " + Arrays.toString(sizes)
                    + " must be at least the number of dims of shape " + Shapes.str(x.shape));
        }
        int lead = sizes.length - x.dim();
        int[] shape = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            int have = i < lead ? 1 : x.shape[i - lead];
            int want = sizes[i] == -1 && i >= lead ? have : sizes[i];
            if (want < 0 || have != 1 && want != have) {
                throw new IllegalArgumentException("expand: the expanded size " + sizes[i] + " must match the existing size "
                        + have + " at non-singleton dimension " + i + "; target sizes " + Arrays.toString(sizes)
                        + ", tensor shape " + Shapes.str(x.shape));
            }
            shape[i] = want;
        }
        Tensor out = Kernels.broadcastTo(x, shape);
        if (out == x) {
            return x;
        }
        int[] original = x.shape;
        return Autograd.record(Kernels.view(out, out.shape, out.strides, out.offset), "ExpandBackward0",
                (g, n) -> new Tensor[] {Autograd.sumTo(g, original)}, x);
    }

    /**
     * {@code Tensor.repeat}: x tiled reps[i] times along each dim, x first given leading dims of
     * size 1 when reps is longer. An expand of x with a new dim before each, copied by reshape.
     */
    static Tensor repeat(Tensor x, int[] reps) {
        if (reps.length < x.dim()) {
            throw new IllegalArgumentException("repeat: the number of repeats " + Arrays.toString(reps)
                    + " must be at least the number of dims of shape " + Shapes.str(x.shape));
        }
        int lead = reps.length - x.dim();
        int[] tiled = new int[2 * reps.length];
        int[] unit = new int[2 * reps.length];
        int[] result = new int[reps.length];
        for (int i = 0; i < reps.length; i++) {
            if (reps[i] < 0) {
                throw new IllegalArgumentException("repeat: repeats must be non-negative, got " + Arrays.toString(reps));
            }
            int size = i < lead ? 1 : x.shape[i - lead];
            tiled[2 * i] = reps[i];
            tiled[2 * i + 1] = size;
            unit[2 * i] = 1;
            unit[2 * i + 1] = size;
            result[i] = reps[i] * size;
        }
        return x.reshape(unit).expand(tiled).reshape(result);
    }

    static Tensor flip(Tensor x, int[] dims) {
        int[] ds = Shapes.dims("flip", dims, x.dim());
        if (x.dim() == 0) {
            // Dim 0 (or -1) of a 0-dim tensor names the tensor itself, as in PyTorch: nothing to reverse.
            return Autograd.record(Kernels.view(x, x.shape, x.strides, x.offset), "FlipBackward0", (g, n) -> new Tensor[] {g}, x);
        }
        int[] strides = x.strides.clone();
        int offset = x.offset;
        for (int d : ds) {
            if (x.shape[d] > 0) {
                offset += (x.shape[d] - 1) * x.strides[d];
            }
            strides[d] = -strides[d];
        }
        Tensor out = Kernels.view(x, x.shape.clone(), strides, offset);
        return Autograd.record(out, "FlipBackward0", (g, n) -> new Tensor[] {g.flip(ds)}, x);
    }
}
