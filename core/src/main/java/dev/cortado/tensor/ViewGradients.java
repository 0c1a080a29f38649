package dev.cortado.tensor;

import dev.cortado.autograd.FunctionNode;
import dev.cortado.autograd.Node;

/**
 * The nodes that let autograd record an in-place update of a view, as PyTorch's CopySlices and
 * AsStridedBackward do. Once a view of a base is updated in place, the base's node becomes
 * {@link #copySlices}: the base's gradient outside the view goes to its old node, the part inside
 * to the update's node (which sends the view's old values' share on to the old node through the
 * view's old node). Every view of that data then re-derives its node from the base's new one
 * ({@link #asStrided}). Positions are storage positions: a gradient is laid out in a buffer shaped
 * like the storage, where the base's and the view's strides and offsets pick the same elements
 * they pick in the data.
 */
final class ViewGradients {
    private ViewGradients() {
    }

    /** The base's node after view was updated in place by the node update; old is the base's node before (null: none). */
    static Node copySlices(Tensor base, Tensor view, Node old, Node update) {
        Layout b = Layout.of(base);
        Layout v = Layout.of(view);
        Node[] next = {old, update};
        return new FunctionNode("CopySlices", next, Autograd.once("CopySlices", (g, needs) -> {
            Tensor buffer = b.zeros(g);
            Kernels.backend(g).copy(b.in(buffer), g);
            Tensor region = v.in(buffer);
            Tensor inside = null;
            if (needs[1]) {
                inside = Kernels.empty(region.shape, g.dtype(), g.device());
                Kernels.backend(g).copy(inside, region);
            }
            if (needs[0]) {
                Kernels.backend(g).fill(region, 0);
            }
            return new Tensor[] {needs[0] ? b.in(buffer) : null, inside};
        }, next));
    }

    /** A view's node re-derived from its base's current one: the view's gradient placed where the view lies in the base. */
    static Node asStrided(Tensor base, Tensor view) {
        Layout b = Layout.of(base);
        Layout v = Layout.of(view);
        Node[] next = Autograd.edges(base);
        return new FunctionNode("AsStridedBackward0", next, Autograd.once("AsStridedBackward0", (g, needs) -> {
            Tensor buffer = b.zeros(g);
            if (v.overlaps()) {
                // Several of the view's elements are one element of the base (an expand): their gradients add up there.
                Tensor flat = Kernels.view(buffer, new int[] {buffer.numel()}, new int[] {1}, 0);
                Kernels.backend(g).scatterAdd(flat, 0, v.positions(g.device()), g.contiguous().reshape(-1));
            } else {
                Kernels.backend(g).copy(v.in(buffer), g);
            }
            return new Tensor[] {b.in(buffer)};
        }, next));
    }

    /** A tensor's place in its storage, kept apart from the tensor (which set_ may re-point). */
    private record Layout(int[] shape, int[] strides, int offset, int storageSize) {
        static Layout of(Tensor t) {
            return new Layout(t.shape.clone(), t.strides.clone(), t.offset, t.storage.size());
        }

        Tensor zeros(Tensor like) {
            return Creation.full(new int[] {storageSize}, 0, like.dtype(), like.device());
        }

        /** This layout's elements of a buffer shaped like the storage. */
        Tensor in(Tensor buffer) {
            return Kernels.view(buffer, shape, strides, offset);
        }

        boolean overlaps() {
            for (int d = 0; d < shape.length; d++) {
                if (strides[d] == 0 && shape[d] > 1) {
                    return true;
                }
            }
            return false;
        }

        /** The storage position of every element, in row-major order, as int64. */
        Tensor positions(dev.cortado.tensor.Device device) {
            int n = Shapes.numel(shape);
            long[] at = new long[n];
            for (int i = 0; i < n; i++) {
                int rest = i;
                long p = offset;
                for (int d = shape.length - 1; d >= 0; d--) {
                    p += (long) (rest % shape[d]) * strides[d];
                    rest /= shape[d];
                }
                at[i] = p;
            }
            return Creation.fromLongs(at, new int[] {n}, device);
        }
    }
}
