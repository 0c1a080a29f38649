package dev.cortado.tensor;

import dev.cortado.autograd.GradMode;
import dev.cortado.backend.BinaryOp;

/**
 * Rules for in-place writes. They bypass autograd, except arithmetic and copies that involve a
 * tensor requiring grad while grad mode is on, which {@link RecordedInPlace} records.
 */
final class InPlace {
    private InPlace() {
    }

    /** The checks of every in-place write, which then counts the write ({@link #written}). */
    static void check(String op, Tensor t) {
        t.syncView();
        if (GradMode.isEnabled() && t.requiresGrad) {
            if (t.gradFn != null) {
                // Arithmetic and copies are recorded (RecordedInPlace); this write would bypass the
                // graph, and turning grad mode off around it would silently drop a gradient.
                throw new IllegalStateException(op + ": a tensor computed by the autograd graph (grad_fn " + t.gradFn.name()
                        + ") cannot be overwritten by " + op + ", which autograd does not record; make the new values out of place "
                        + "(zerosLike, fullLike, where, ...)");
            }
            throw leafRequiringGrad(op);
        }
        written(t);
    }

    /** PyTorch's refusal of a float32 result written back into an int64 tensor, which would silently drop its fraction. */
    static IllegalArgumentException int64Result(String op, String what) {
        return new IllegalArgumentException(op + ": result type float32 can't be cast to the desired output type int64 (" + what
                + "); convert it with .to(DType.FLOAT32) first");
    }

    /** PyTorch's refusal of an in-place write to a leaf that requires grad, with the way around it. */
    static IllegalStateException leafRequiringGrad(String op) {
        return new IllegalStateException(op + ": a leaf tensor that requires grad is being used in an in-place operation; "
                + "update it inside try (var g = GradMode.off()) { ... }, as an optimizer step does");
    }

    /**
     * Counts an in-place write to t's data: bumps its version, so that a backward pass that saved
     * it refuses to run, and makes core forget what it knew of its values.
     */
    static void written(Tensor t) {
        t.version.bump();
        Int64Range.written(t.storage);
    }

    /**
     * Sets every element to value. On a tensor the graph computed (or a view of one) it is
     * recorded, as PyTorch's FillBackward0: the old values get no gradient.
     */
    static void fill(String op, Tensor dst, double value) {
        dst.syncView();
        if (GradMode.isEnabled() && dst.requiresGrad && dst.gradFn != null) {
            RecordedInPlace.apply(op, dst, false, self -> {
                Tensor filled = Creation.full(self.shape, value, self.dtype(), self.device());
                return Autograd.record(filled, "FillBackward0", (g, n) -> new Tensor[] {Creation.full(g.shape, 0, g.dtype(), g.device())},
                        self);
            });
            return;
        }
        check(op, dst);
        Kernels.backend(dst).fill(dst, value);
    }

    /** relu in place: one elementwise pass over dst, or a recorded update (ReluBackward0) where dst requires grad. */
    static void relu(String op, Tensor dst) {
        singleElements(op, dst);
        if (RecordedInPlace.needed(dst)) {
            RecordedInPlace.apply(op, dst, false, Tensor::relu);
            return;
        }
        check(op, dst);
        Kernels.backend(dst).unary(dev.cortado.backend.UnaryOp.RELU, dst, dst, 0, 0);
    }

    /** Writes src (broadcast to dst's shape, converted to dst's dtype) into dst's elements. */
    static void copy(String op, Tensor dst, Tensor src) {
        if (RecordedInPlace.needed(dst, src)) {
            Tensor from = fits(op, dst, src);
            RecordedInPlace.apply(op, dst, false, self -> {
                Tensor value = Kernels.emptyLike(dst, dst.dtype());
                Kernels.backend(dst).copy(value, from);
                // PyTorch's CopyBackwards: zeros for the old values, src's gradient summed to its shape.
                int[] srcShape = src.shape;
                return Autograd.record(value, "CopyBackwards", (g, n) -> new Tensor[] {
                        n[0] ? Creation.full(self.shape, 0, g.dtype(), g.device()) : null,
                        n[1] ? Autograd.sumTo(g, srcShape) : null}, self, src);
            });
            return;
        }
        Tensor from = source(op, dst, src);
        if (!disjointOrSame(dst, from)) {
            // src is another view of dst's memory (a shifted slice, a flip): read all of it before
            // writing any of it, or the copy would read values it has already overwritten.
            Tensor whole = Kernels.emptyLike(from, from.dtype());
            Kernels.backend(dst).copy(whole, from);
            from = whole;
        }
        Kernels.backend(dst).copy(dst, from);
    }

    /** src broadcast to dst's shape, after the checks every in-place write makes. */
    private static Tensor source(String op, Tensor dst, Tensor src) {
        check(op, dst);
        return fits(op, dst, src);
    }

    /** src broadcast to dst's shape, checking that it is on dst's device and broadcasts to dst's shape. */
    private static Tensor fits(String op, Tensor dst, Tensor src) {
        singleElements(op, dst);
        Kernels.sameDevice(op, dst, src);
        int[] shape = Shapes.broadcast(op, dst.shape, src.shape);
        if (!java.util.Arrays.equals(shape, dst.shape)) {
            throw new IllegalArgumentException(op + ": source of shape " + Shapes.str(src.shape)
                    + " cannot be broadcast to destination shape " + Shapes.str(dst.shape));
        }
        return Kernels.broadcastTo(src, dst.shape);
    }

    /**
     * dst = dst op other (other broadcast to dst's shape). A float32 destination is written by one
     * backend call that reads and writes dst itself: an optimizer's {@code buf.mul_(m).add_(g)}
     * had made two new tensors and copied one back per call, five passes over the weights where
     * two do. Where the write could change a value still to be read (other shares dst's storage
     * through another view) the result is formed first and copied, as before.
     */
    static void binary(String op, BinaryOp kind, Tensor dst, Tensor other) {
        if (RecordedInPlace.needed(dst, other)) {
            fits(op, dst, other);
            // A product's backward reads each operand for the other's gradient.
            RecordedInPlace.apply(op, dst, kind == BinaryOp.MUL && Autograd.needed(other), self -> Pointwise.binary(kind, self, other));
            return;
        }
        Tensor b = source(op, dst, other);
        boolean floatResult = other.dtype() == DType.FLOAT32 || kind == BinaryOp.DIV || kind == BinaryOp.POW;
        if (dst.dtype() == DType.INT64 && floatResult && !kind.isComparison()) {
            throw int64Result(op, "an int64 tensor " + (kind == BinaryOp.DIV ? "divided by" : "combined with") + " a " + other.dtype()
                    + " tensor in place");
        }
        if (dst.dtype() != DType.FLOAT32 || other.dtype() != DType.FLOAT32 || !disjointOrSame(dst, b)) {
            // The result has dst's shape already, so it needs no second round of checks.
            Kernels.backend(dst).copy(dst, Pointwise.binary(kind, dst, other));
            return;
        }
        Kernels.backend(dst).binary(kind, dst, dst, b);
    }

    /**
     * dst = dst op s for a scalar s: one backend call where the result keeps dst's dtype (float32,
     * or int64 plus, minus or times an integral s, like a batch counter's {@code add_(1)}).
     */
    static void binaryScalar(String op, BinaryOp kind, Tensor dst, double s) {
        singleElements(op, dst);
        if (RecordedInPlace.needed(dst) && !kind.isComparison()) {
            RecordedInPlace.apply(op, dst, false, self -> Pointwise.binaryScalar(kind, self, s));
            return;
        }
        check(op, dst);
        boolean keepsDtype = dst.dtype() == DType.FLOAT32 || s == Math.rint(s) && !Double.isInfinite(s)
                && (kind == BinaryOp.ADD || kind == BinaryOp.SUB || kind == BinaryOp.MUL);
        if (!keepsDtype && !kind.isComparison()) {
            throw int64Result(op, "an int64 tensor " + (kind == BinaryOp.DIV ? "divided" : "combined") + " in place with " + s);
        }
        if (kind.isComparison()) {
            Kernels.backend(dst).copy(dst, Pointwise.binaryScalar(kind, dst, s));
            return;
        }
        Kernels.backend(dst).binaryScalar(kind, dst, dst, s);
    }

    /**
     * dst = update(dst), for the in-place twins of out-of-place ops ({@code exp_}, {@code clamp_},
     * {@code masked_fill_}, ...): the update runs out of place and is written back, recorded (on a
     * copy of dst's old values, which its node may read) where dst or one of the others requires
     * grad. The result must keep dst's shape, and an int64 dst must get an int64 result.
     */
    static void update(String op, Tensor dst, java.util.function.UnaryOperator<Tensor> update, Tensor... others) {
        singleElements(op, dst);
        java.util.function.UnaryOperator<Tensor> checked = self -> {
            Tensor result = update.apply(self);
            if (!java.util.Arrays.equals(result.shape, dst.shape)) {
                throw new IllegalArgumentException(op + ": output with shape " + Shapes.str(dst.shape) + " doesn't match the broadcast shape "
                        + Shapes.str(result.shape));
            }
            if (dst.dtype() == DType.INT64 && result.dtype() != DType.INT64) {
                throw int64Result(op, "the op gives float32 for an int64 tensor");
            }
            return result;
        };
        if (RecordedInPlace.needed(dst, others)) {
            RecordedInPlace.apply(op, dst, true, checked);
            return;
        }
        check(op, dst);
        Kernels.backend(dst).copy(dst, checked.apply(dst));
    }

    /** Whether b lies in another storage than dst, or is exactly dst's view (x.mul_(x)). */
    private static boolean disjointOrSame(Tensor dst, Tensor b) {
        return b.storage() != dst.storage()
                || b.offset() == dst.offset() && java.util.Arrays.equals(b.strides(), dst.strides());
    }

    /**
     * Refuses a destination in which two indices name one element (a zero stride along a dim
     * longer than 1: an expand() or broadcast view), as PyTorch does: the writes to that element
     * would disagree, and which one lands is not an answer. fill_ writes one value and may.
     */
    private static void singleElements(String op, Tensor dst) {
        for (int d = 0; d < dst.dim(); d++) {
            if (dst.strides[d] == 0 && dst.shape[d] > 1) {
                throw new IllegalArgumentException(op + ": more than one element of the destination " + Shapes.str(dst.shape)
                        + " (strides " + java.util.Arrays.toString(dst.strides) + ") refers to a single memory location, as in an expand()"
                        + " view; clone() it before writing in place");
            }
        }
    }
}
