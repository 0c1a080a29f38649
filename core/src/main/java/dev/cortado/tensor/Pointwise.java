package dev.cortado.tensor;

import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.UnaryOp;

import java.util.Locale;

/** Elementwise ops, casts and softmax, with their backward formulas. */
final class Pointwise {
    private Pointwise() {
    }

    /** A 0-dim tensor holding a Python-style scalar operand: int64 only when t is int64 and v integral. */
    static Tensor scalarFor(Tensor t, double v) {
        boolean integral = t.dtype() == DType.INT64 && v == Math.rint(v) && !Double.isInfinite(v);
        return Creation.full(new int[0], v, integral ? DType.INT64 : DType.FLOAT32, t.device());
    }

    static Tensor cast(Tensor x, DType dtype) {
        if (x.dtype() == dtype) {
            return x;
        }
        Tensor out = Kernels.emptyLike(x, dtype);
        Kernels.backend(x).copy(out, x);
        return out;
    }

    static Tensor unary(UnaryOp op, Tensor x, double a, double b) {
        Tensor in = x.dtype() == DType.INT64 && !op.keepsIntegers() ? cast(x, DType.FLOAT32) : x;
        Tensor out = Kernels.emptyLike(in, in.dtype());
        Kernels.backend(in).unary(op, out, in, a, b);
        if (!Autograd.needed(in)) {
            return out;
        }
        return switch (op) {
            case NEG -> Autograd.record(out, "NegBackward0", (g, n) -> new Tensor[] {g.neg()}, in);
            case ABS -> Autograd.record(out, "AbsBackward0", Autograd.saved(in), (g, n) -> new Tensor[] {g.mul(in.sign())}, in);
            case SIGN -> Autograd.record(out, "SignBackward0", (g, n) -> new Tensor[] {g.zerosLike()}, in);
            case EXP -> Autograd.record(out, "ExpBackward0", Autograd.saved(out), (g, n) -> new Tensor[] {g.mul(out)}, in);
            case LOG -> Autograd.record(out, "LogBackward0", Autograd.saved(in), (g, n) -> new Tensor[] {g.div(in)}, in);
            case SQRT -> Autograd.record(out, "SqrtBackward0", Autograd.saved(out), (g, n) -> new Tensor[] {g.div(out.mul(2))}, in);
            case SIGMOID -> Autograd.record(out, "SigmoidBackward0", Autograd.saved(out), (g, n) -> new Tensor[] {g.mul(out.mul(out.rsub(1)))}, in);
            case TANH -> Autograd.record(out, "TanhBackward0", Autograd.saved(out), (g, n) -> new Tensor[] {g.mul(out.mul(out).rsub(1))}, in);
            case RELU -> out.dtype() == DType.FLOAT32 ? Autograd.attach(out, new ReluNode(out, Autograd.edges(in)))
                    : Autograd.record(out, "ReluBackward0", Autograd.saved(out), (g, n) -> new Tensor[] {g.mul(out.gt(0))}, in);
            case LEAKY_RELU -> Autograd.record(out, "LeakyReluBackward0", Autograd.saved(in),
                    (g, n) -> new Tensor[] {g.mul(in.gt(0).mul(1 - a).add(a))}, in);
            case POW -> Autograd.record(out, "PowBackward0", Autograd.saved(in),
                    (g, n) -> new Tensor[] {a == 0 ? g.zerosLike() : g.mul(in.pow(a - 1).mul(a))}, in);
            case CLAMP -> Autograd.record(out, "ClampBackward1", Autograd.saved(in), (g, n) -> new Tensor[] {g.mul(in.ge(a).mul(in.le(b)))}, in);
            case ERF -> Autograd.record(out, "ErfBackward0", Autograd.saved(in),
                    (g, n) -> new Tensor[] {g.mul(in.square().neg().exp().mul(2 / Math.sqrt(Math.PI)))}, in);
            case EXPM1 -> Autograd.record(out, "Expm1Backward0", Autograd.saved(out), (g, n) -> new Tensor[] {g.mul(out.add(1))}, in);
            case LOG1P -> Autograd.record(out, "Log1PBackward0", Autograd.saved(in), (g, n) -> new Tensor[] {g.div(in.add(1))}, in);
            // Steps: the gradient is 0 everywhere (PyTorch's choice at the jumps too).
            case FLOOR, CEIL, ROUND, TRUNC -> Autograd.record(out, roundingName(op), (g, n) -> new Tensor[] {g.zerosLike()}, in);
            case SIN -> Autograd.record(out, "SinBackward0", Autograd.saved(in), (g, n) -> new Tensor[] {g.mul(in.cos())}, in);
            case COS -> Autograd.record(out, "CosBackward0", Autograd.saved(in), (g, n) -> new Tensor[] {g.mul(in.sin().neg())}, in);
            // PyTorch's formulas (derivatives.yaml), each from the same saved tensor.
            case TAN -> Autograd.record(out, "TanBackward0", Autograd.saved(out), (g, n) -> new Tensor[] {g.mul(out.square().add(1))}, in);
            case ASIN -> Autograd.record(out, "AsinBackward0", Autograd.saved(in),
                    (g, n) -> new Tensor[] {g.mul(in.square().rsub(1).pow(-0.5))}, in);
            case ACOS -> Autograd.record(out, "AcosBackward0", Autograd.saved(in),
                    (g, n) -> new Tensor[] {g.mul(in.square().rsub(1).pow(-0.5).neg())}, in);
            case ATAN -> Autograd.record(out, "AtanBackward0", Autograd.saved(in), (g, n) -> new Tensor[] {g.div(in.square().add(1))}, in);
            case SINH -> Autograd.record(out, "SinhBackward0", Autograd.saved(in), (g, n) -> new Tensor[] {g.mul(in.cosh())}, in);
            case COSH -> Autograd.record(out, "CoshBackward0", Autograd.saved(in), (g, n) -> new Tensor[] {g.mul(in.sinh())}, in);
            case ASINH -> Autograd.record(out, "AsinhBackward0", Autograd.saved(in),
                    (g, n) -> new Tensor[] {g.mul(in.square().add(1).pow(-0.5))}, in);
            case ACOSH -> Autograd.record(out, "AcoshBackward0", Autograd.saved(in),
                    (g, n) -> new Tensor[] {g.mul(in.square().sub(1).pow(-0.5))}, in);
            case ATANH -> Autograd.record(out, "AtanhBackward0", Autograd.saved(in),
                    (g, n) -> new Tensor[] {g.mul(in.square().rsub(1).pow(-1))}, in);
            case EXP2 -> Autograd.record(out, "Exp2Backward0", Autograd.saved(out), (g, n) -> new Tensor[] {g.mul(out).mul(Math.log(2))}, in);
            case LOG2 -> Autograd.record(out, "Log2Backward0", Autograd.saved(in), (g, n) -> new Tensor[] {g.div(in.mul(Math.log(2)))}, in);
            case LOG10 -> Autograd.record(out, "Log10Backward0", Autograd.saved(in), (g, n) -> new Tensor[] {g.div(in.mul(Math.log(10)))}, in);
            case ERFC -> Autograd.record(out, "ErfcBackward0", Autograd.saved(in),
                    (g, n) -> new Tensor[] {g.mul(in.square().neg().exp().mul(-2 / Math.sqrt(Math.PI)))}, in);
            case LGAMMA -> Autograd.record(out, "LgammaBackward0", Autograd.saved(in), (g, n) -> new Tensor[] {g.mul(in.digamma())}, in);
            case DIGAMMA -> Autograd.record(out, "DigammaBackward0", Autograd.saved(in), (g, n) -> new Tensor[] {g.mul(in.polygamma(1))}, in);
            case POLYGAMMA -> Autograd.record(out, "PolygammaBackward0", Autograd.saved(in),
                    (g, n) -> new Tensor[] {g.mul(in.polygamma((int) a + 1))}, in);
            case ERFINV -> Autograd.record(out, "ErfinvBackward0", Autograd.saved(out),
                    (g, n) -> new Tensor[] {out.square().exp().mul(0.5 * Math.sqrt(Math.PI)).mul(g)}, in);
            case GELU -> Autograd.record(out, "GeluBackward0", Autograd.saved(in), (g, n) -> new Tensor[] {FusedActivations.geluBackward(g, in)}, in);
            case SILU -> Autograd.record(out, "SiluBackward0", Autograd.saved(in), (g, n) -> new Tensor[] {FusedActivations.siluBackward(g, in)}, in);
            case HARDSWISH -> Autograd.record(out, "HardswishBackward0", Autograd.saved(in),
                    (g, n) -> new Tensor[] {FusedActivations.hardswishBackward(g, in)}, in);
        };
    }

    private static String roundingName(UnaryOp op) {
        return switch (op) {
            case FLOOR -> "FloorBackward0";
            case CEIL -> "CeilBackward0";
            case ROUND -> "RoundBackward0";
            default -> "TruncBackward0";
        };
    }

    /** The op for PyTorch's rounding_mode argument of div: null, "trunc" or "floor". */
    static BinaryOp roundingDivision(String mode) {
        if (mode == null) {
            return BinaryOp.DIV;
        }
        return switch (mode) {
            case "trunc" -> BinaryOp.TRUNC_DIVIDE;
            case "floor" -> BinaryOp.FLOOR_DIVIDE;
            default -> throw new IllegalArgumentException(
                    "div: expected rounding_mode to be one of null, \"trunc\" or \"floor\", got \"" + mode + "\"");
        };
    }

    /** The op's name in messages: PyTorch's, where trunc division is div with a rounding mode. */
    private static String opName(BinaryOp op) {
        return op == BinaryOp.TRUNC_DIVIDE ? "div" : op.name().toLowerCase(Locale.ROOT);
    }

    static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        String name = opName(op);
        Kernels.sameDevice(name, a, b);
        int[] shape = Shapes.broadcast(name, a.shape, b.shape);
        boolean integer = a.dtype() == DType.INT64 && b.dtype() == DType.INT64 && !op.alwaysFloat();
        DType compute = integer ? DType.INT64 : DType.FLOAT32;
        Tensor ca = cast(a, compute);
        Tensor cb = cast(b, compute);
        if (integer && op.divides() && cb.eq(0).any().item() != 0) {
            throw new ArithmeticException(name + ": integer division by zero (the int64 divisor of shape "
                    + Shapes.str(b.shape) + " holds a 0)");
        }
        Tensor out = Kernels.empty(shape, op.isComparison() ? DType.FLOAT32 : compute, a.device());
        Kernels.backend(a).binary(op, out, Kernels.broadcastTo(ca, shape), Kernels.broadcastTo(cb, shape));
        if (op.isComparison() || !Autograd.needed(ca, cb)) {
            return out;
        }
        int[] sa = a.shape;
        int[] sb = b.shape;
        return switch (op) {
            case ADD -> Autograd.record(out, "AddBackward0",
                    (g, n) -> new Tensor[] {Autograd.sumTo(g, sa), Autograd.sumTo(g, sb)}, ca, cb);
            case SUB -> Autograd.record(out, "SubBackward0",
                    (g, n) -> new Tensor[] {Autograd.sumTo(g, sa), n[1] ? Autograd.sumTo(g.neg(), sb) : null}, ca, cb);
            // Each saves only what the gradients its inputs need read, as PyTorch does: an operand
            // is read for the other's gradient, so a weight updated in place while a frozen input's
            // graph waits is not refused.
            case MUL -> Autograd.record(out, "MulBackward0", Autograd.saved(ca.requiresGrad ? cb : null, cb.requiresGrad ? ca : null),
                    (g, n) -> new Tensor[] {
                            n[0] ? Autograd.sumTo(g.mul(cb), sa) : null,
                            n[1] ? Autograd.sumTo(g.mul(ca), sb) : null}, ca, cb);
            case DIV -> Autograd.record(out, "DivBackward0", Autograd.saved(cb, cb.requiresGrad ? out : null),
                    (g, n) -> new Tensor[] {
                            n[0] ? Autograd.sumTo(g.div(cb), sa) : null,
                            n[1] ? Autograd.sumTo(g.mul(out).div(cb).neg(), sb) : null}, ca, cb);
            case POW -> Autograd.record(out, "PowBackward1", Autograd.saved(ca, ca.requiresGrad ? cb : null, cb.requiresGrad ? out : null),
                    (g, n) -> new Tensor[] {
                            n[0] ? Autograd.sumTo(g.mul(cb).mul(ca.pow(cb.sub(1))), sa) : null,
                            n[1] ? Autograd.sumTo(g.mul(out).mul(ca.log()), sb) : null}, ca, cb);
            // fmod and remainder are a - q b for the rounded quotient q, a step function.
            case FMOD -> Autograd.record(out, "FmodBackward1", Autograd.saved(cb.requiresGrad ? ca : null, cb.requiresGrad ? cb : null),
                    (g, n) -> new Tensor[] {
                            n[0] ? Autograd.sumTo(g, sa) : null,
                            n[1] ? Autograd.sumTo(g.mul(binary(BinaryOp.TRUNC_DIVIDE, ca, cb)).neg(), sb) : null}, ca, cb);
            case REMAINDER -> Autograd.record(out, "RemainderBackward1", Autograd.saved(cb.requiresGrad ? ca : null, cb.requiresGrad ? cb : null),
                    (g, n) -> new Tensor[] {
                            n[0] ? Autograd.sumTo(g, sa) : null,
                            n[1] ? Autograd.sumTo(g.mul(binary(BinaryOp.FLOOR_DIVIDE, ca, cb)).neg(), sb) : null}, ca, cb);
            case FLOOR_DIVIDE, TRUNC_DIVIDE -> Autograd.record(out, "DivBackward2",
                    (g, n) -> new Tensor[] {
                            n[0] ? Creation.full(sa, 0, DType.FLOAT32, g.device()) : null,
                            n[1] ? Creation.full(sb, 0, DType.FLOAT32, g.device()) : null}, ca, cb);
            case ATAN2 -> Autograd.record(out, "Atan2Backward0", Autograd.saved(ca, cb), (g, n) -> {
                Tensor recip = ca.square().add(cb.square()).pow(-1);
                return new Tensor[] {
                        n[0] ? Autograd.sumTo(g.mul(cb).mul(recip), sa) : null,
                        n[1] ? Autograd.sumTo(g.mul(ca.neg()).mul(recip), sb) : null};
            }, ca, cb);
            case HYPOT -> Autograd.record(out, "HypotBackward0", Autograd.saved(ca, cb, out),
                    (g, n) -> new Tensor[] {
                            n[0] ? Autograd.sumTo(g.mul(ca).div(out), sa) : null,
                            n[1] ? Autograd.sumTo(g.mul(cb).div(out), sb) : null}, ca, cb);
            default -> throw new IllegalStateException("no gradient for " + op);
        };
    }

    /**
     * op(a, s) for a scalar s, with the result {@link #binary} gives against {@link #scalarFor}(a, s)
     * (same dtype rules, same bits), without making that tensor.
     */
    static Tensor binaryScalar(BinaryOp op, Tensor a, double s) {
        boolean integer = a.dtype() == DType.INT64 && s == Math.rint(s) && !Double.isInfinite(s) && !op.alwaysFloat();
        DType compute = integer ? DType.INT64 : DType.FLOAT32;
        if (integer && op.divides() && s == 0) {
            throw new ArithmeticException(opName(op) + ": integer division by zero (an int64 tensor of shape " + Shapes.str(a.shape)
                    + " divided by the scalar 0)");
        }
        Tensor ca = cast(a, compute);
        Tensor out = Kernels.empty(a.shape, op.isComparison() ? DType.FLOAT32 : compute, a.device());
        Kernels.backend(a).binaryScalar(op, out, ca, s);
        if (op.isComparison() || !Autograd.needed(ca)) {
            return out;
        }
        return switch (op) {
            case ADD -> Autograd.record(out, "AddBackward0", (g, n) -> new Tensor[] {g}, ca);
            case SUB -> Autograd.record(out, "SubBackward0", (g, n) -> new Tensor[] {g}, ca);
            case MUL -> Autograd.record(out, "MulBackward0", (g, n) -> new Tensor[] {g.mul(s)}, ca);
            case DIV -> Autograd.record(out, "DivBackward0", (g, n) -> new Tensor[] {g.div(s)}, ca);
            case FMOD -> Autograd.record(out, "FmodBackward0", (g, n) -> new Tensor[] {g}, ca);
            case REMAINDER -> Autograd.record(out, "RemainderBackward0", (g, n) -> new Tensor[] {g}, ca);
            case FLOOR_DIVIDE, TRUNC_DIVIDE -> Autograd.record(out, "DivBackward2", (g, n) -> new Tensor[] {g.zerosLike()}, ca);
            default -> throw new IllegalStateException("no gradient for " + op + " with a scalar");
        };
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        Kernels.sameDevice("where", cond, a, b);
        int[] shape = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape, a.shape), b.shape);
        DType dtype = a.dtype() == DType.INT64 && b.dtype() == DType.INT64 ? DType.INT64 : DType.FLOAT32;
        Tensor ca = cast(a, dtype);
        Tensor cb = cast(b, dtype);
        Tensor c = cast(cond, DType.FLOAT32);
        Tensor out = Kernels.empty(shape, dtype, a.device());
        Kernels.backend(a).where(out, Kernels.broadcastTo(c, shape), Kernels.broadcastTo(ca, shape), Kernels.broadcastTo(cb, shape));
        int[] sa = a.shape;
        int[] sb = b.shape;
        return Autograd.record(out, "WhereBackward0", Autograd.saved(c), (g, n) -> {
            Tensor zero = scalarFor(g, 0);
            return new Tensor[] {
                    n[0] ? Autograd.sumTo(where(c, g, zero), sa) : null,
                    n[1] ? Autograd.sumTo(where(c, zero, g), sb) : null};
        }, ca, cb);
    }

    /**
     * {@code torch.maximum} / {@code torch.minimum}: elementwise with broadcasting, NaN where
     * either is NaN. As in PyTorch, equal elements split the gradient in half, and a NaN passes it
     * to both inputs.
     */
    static Tensor extreme(Tensor a, Tensor b, boolean max) {
        String name = max ? "maximum" : "minimum";
        Kernels.sameDevice(name, a, b);
        Shapes.broadcast(name, a.shape, b.shape);
        Tensor out;
        try (var off = dev.cortado.autograd.GradMode.off()) {
            Tensor first = max ? a.gt(b) : a.lt(b);
            // a where it wins or is NaN, else b (which is then NaN, or the winner, or equal).
            out = where(first.add(a.ne(a)), a, b);
        }
        int[] sa = a.shape;
        int[] sb = b.shape;
        return Autograd.record(out, max ? "MaximumBackward0" : "MinimumBackward0", Autograd.saved(a, b), (g, n) -> {
            Tensor zero = scalarFor(g, 0);
            Tensor shared = where(a.eq(b), g.mul(0.5), g);
            Tensor loses = max ? a.lt(b) : a.gt(b);
            Tensor wins = max ? a.gt(b) : a.lt(b);
            return new Tensor[] {
                    n[0] ? Autograd.sumTo(where(loses, zero, shared), sa) : null,
                    n[1] ? Autograd.sumTo(where(wins, zero, shared), sb) : null};
        }, a, b);
    }

    static Tensor softmax(Tensor x, int dim, boolean log) {
        String op = log ? "logSoftmax" : "softmax";
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected a float32 tensor, got " + x.dtype());
        }
        if (x.dim() == 0) {
            return softmax(x.reshape(1), dim, log).reshape();
        }
        int d = Shapes.dim(op, dim, x.dim());
        Tensor out = Kernels.emptyLike(x, DType.FLOAT32);
        Kernels.backend(x).softmax(out, x, d, log);
        int[] dims = {d};
        return Autograd.record(out, log ? "LogSoftmaxBackward0" : "SoftmaxBackward0", Autograd.saved(out), (g, n) -> {
            // The fused kernel records nothing; a pass that records its gradients' graph takes the formula.
            if (!dev.cortado.autograd.GradMode.isEnabled()) {
                Tensor gi = Kernels.emptyLike(out, DType.FLOAT32);
                if (Kernels.backend(g).softmaxBackward(gi, g, out, d, log)) {
                    return new Tensor[] {gi};
                }
                gi.close();
            }
            return new Tensor[] {log ? g.sub(out.exp().mul(g.sum(dims, true))) : out.mul(g.sub(g.mul(out).sum(dims, true)))};
        }, x);
    }
}
