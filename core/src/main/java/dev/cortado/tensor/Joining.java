package dev.cortado.tensor;

import java.util.ArrayList;
import java.util.List;

/** cat, stack and constant padding: copies into windows of a new tensor; {@link BorderPad} does the other modes. */
final class Joining {
    private Joining() {
    }

    static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("cat: expected a non-empty list of tensors");
        }
        Tensor first = tensors.get(0);
        Kernels.sameDevice("cat", tensors.toArray(Tensor[]::new));
        int d = Shapes.dim("cat", dim, Math.max(first.dim(), 1));
        if (first.dim() == 0) {
            throw new IllegalArgumentException("cat: zero-dimensional tensor (at position 0) cannot be concatenated");
        }
        DType dtype = DType.INT64;
        int total = 0;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t.dim() != first.dim()) {
                throw new IllegalArgumentException("cat: tensors must have the same number of dimensions: tensor 0 has shape "
                        + Shapes.str(first.shape) + " but tensor " + i + " has " + Shapes.str(t.shape));
            }
            for (int k = 0; k < t.dim(); k++) {
                if (k != d && t.shape[k] != first.shape[k]) {
                    throw new IllegalArgumentException("cat: sizes of tensors must match except in dimension " + d + "; tensor "
                            + i + " has shape " + Shapes.str(t.shape) + " but tensor 0 has " + Shapes.str(first.shape));
                }
            }
            if (t.dtype() == DType.FLOAT32) {
                dtype = DType.FLOAT32;
            }
            total += t.shape[d];
        }
        int[] shape = first.shape();
        shape[d] = total;
        Tensor out = Kernels.empty(shape, dtype, first.device());
        int[] starts = new int[tensors.size()];
        int[] lengths = new int[tensors.size()];
        int at = 0;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            starts[i] = at;
            lengths[i] = t.shape[d];
            int[] ws = out.shape();
            ws[d] = lengths[i];
            Kernels.backend(out).copy(Kernels.view(out, ws, out.strides, at * out.strides[d]), t);
            at += lengths[i];
        }
        return Autograd.record(out, "CatBackward0", (g, need) -> {
            Tensor[] grads = new Tensor[starts.length];
            for (int i = 0; i < grads.length; i++) {
                grads[i] = need[i] ? g.narrow(d, starts[i], lengths[i]) : null;
            }
            return grads;
        }, tensors.toArray(Tensor[]::new));
    }

    static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("stack: expected a non-empty list of tensors");
        }
        int[] s0 = tensors.get(0).shape;
        int d = Shapes.dim("stack", dim, s0.length + 1);
        List<Tensor> parts = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            if (!java.util.Arrays.equals(tensors.get(i).shape, s0)) {
                throw new IllegalArgumentException("stack: expects each tensor to be equal size, but got " + Shapes.str(s0)
                        + " at entry 0 and " + Shapes.str(tensors.get(i).shape) + " at entry " + i);
            }
            parts.add(tensors.get(i).unsqueeze(d));
        }
        return cat(parts, d);
    }

    static Tensor pad(Tensor x, int[] pad, PadMode mode, double value) {
        if (pad.length % 2 != 0) {
            throw new IllegalArgumentException("pad: padding length must be even (pairs of left, right), got " + pad.length);
        }
        if (pad.length / 2 > x.dim()) {
            throw new IllegalArgumentException("pad: padding length " + pad.length + " is too long for a " + x.dim()
                    + "-dimensional input of shape " + Shapes.str(x.shape) + " (at most " + 2 * x.dim() + ")");
        }
        return mode == PadMode.CONSTANT ? constant(x, pad, value) : BorderPad.pad(x, pad, mode);
    }

    private static Tensor constant(Tensor x, int[] pad, double value) {
        int[] shape = x.shape();
        Tensor src = x.detach();
        int[] dstStart = new int[x.dim()];
        for (int i = 0; i < pad.length / 2; i++) {
            int d = x.dim() - 1 - i;
            int left = pad[2 * i];
            int right = pad[2 * i + 1];
            shape[d] = x.shape[d] + left + right;
            if (shape[d] < 0) {
                throw new IllegalArgumentException("pad: padding (" + left + ", " + right + ") makes dimension " + d
                        + " of shape " + Shapes.str(x.shape) + " negative");
            }
            int cropLeft = Math.max(-left, 0);
            int keep = Math.max(x.shape[d] - cropLeft - Math.max(-right, 0), 0);
            src = Kernels.view(src, withSize(src.shape, d, keep), src.strides, src.offset + (keep == 0 ? 0 : cropLeft * src.strides[d]));
            dstStart[d] = Math.max(left, 0);
        }
        Tensor out = Creation.full(shape, value, x.dtype(), x.device());
        Tensor window = Kernels.view(out, src.shape(), out.strides, offsetOf(out, dstStart));
        Kernels.backend(out).copy(window, src);
        int[] unpad = new int[pad.length];
        for (int i = 0; i < pad.length; i++) {
            unpad[i] = -pad[i];
        }
        // The gradient is the padding undone: the output's gradient cropped where x was padded and
        // zero-filled where x was cropped. A pad itself, so it is recorded in a createGraph pass.
        return Autograd.record(out, "ConstantPadNdBackward0", (g, need) -> new Tensor[] {constant(g, unpad, 0)}, x);
    }

    static int[] withSize(int[] shape, int d, int size) {
        int[] s = shape.clone();
        s[d] = size;
        return s;
    }

    private static int offsetOf(Tensor t, int[] index) {
        int off = t.offset;
        for (int i = 0; i < index.length; i++) {
            off += index[i] * t.strides[i];
        }
        return off;
    }
}
