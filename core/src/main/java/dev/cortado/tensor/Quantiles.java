package dev.cortado.tensor;

import java.util.Arrays;

/**
 * {@code torch.quantile} and {@code torch.nanquantile} in PyTorch's steps, so values and
 * gradients agree: sort each line, take the rank q · (n - 1) in float32, and interpolate between
 * the values at the ranks below and above it. A line with a NaN gives NaN (quantile) or is read
 * without its NaNs (nanquantile; all NaN gives NaN). The gradient flows back through the sort.
 */
final class Quantiles {
    private static final java.util.List<String> MODES = java.util.List.of("linear", "lower", "higher", "midpoint", "nearest");

    private Quantiles() {
    }

    /** q is a 0-d or 1-d float32 tensor; dim null reads all elements as one line. */
    static Tensor quantile(Tensor x, Tensor q, Integer dim, boolean keepdim, String interpolation, boolean ignoreNan) {
        String op = ignoreNan ? "nanquantile" : "quantile";
        if (x.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": input tensor must be float32, got " + x.dtype());
        }
        if (!q.device().equals(x.device())) {
            throw new IllegalArgumentException(op + ": q tensor must be on the same device as the input tensor, got " + q.device() + " and "
                    + x.device());
        }
        if (q.dim() > 1) {
            throw new IllegalArgumentException(op + ": q must be a scalar or 1D tensor, got shape " + Shapes.str(q.shape()));
        }
        if (!MODES.contains(interpolation)) {
            throw new IllegalArgumentException(op + ": interpolation must be one of linear, lower, higher, midpoint or nearest, got "
                    + interpolation);
        }
        if (x.numel() == 0) {
            throw new IllegalArgumentException(op + ": input tensor must be non-empty, got shape " + Shapes.str(x.shape()));
        }
        for (float v : q.to(DType.FLOAT32).toFloatArray()) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(op + ": q values must be in the range [0, 1], got " + v);
            }
        }
        int d = dim == null ? -1 : Shapes.dim(op, dim, Math.max(x.dim(), 1));
        Tensor lines = dim == null ? x.reshape(-1) : x.dim() == 0 ? x.reshape(1) : x.movedim(d, -1);
        Tensor sorted = lines.sort(-1, false).values();
        int n = sorted.size(-1);
        int qn = q.numel();
        // sorted gains a leading dim for q: (Q, ..., n), and each line's ranks are (Q, ..., 1).
        int[] lead = new int[sorted.dim() + 1];
        Arrays.fill(lead, 1);
        lead[0] = qn;
        Tensor qs = q.to(DType.FLOAT32).reshape(lead);
        int[] expanded = new int[sorted.dim() + 1];
        expanded[0] = qn;
        System.arraycopy(sorted.shape(), 0, expanded, 1, sorted.dim());
        Tensor all = sorted.unsqueeze(0).expand(expanded);
        Tensor nans = sorted.isnan().sum(new int[] {-1}, true).unsqueeze(0);
        Tensor ranks;
        if (ignoreNan) {
            ranks = qs.mul(nans.rsub(n).sub(1));
            ranks = Tensor.where(ranks.lt(0), ranks.newFull(new int[0], 0), ranks);
        } else {
            ranks = Tensor.where(nans.gt(0), qs.newFull(new int[0], n - 1), qs.mul(n - 1));
        }
        ranks = switch (interpolation) {
            case "lower" -> ranks.floor();
            case "higher" -> ranks.ceil();
            case "nearest" -> ranks.round();
            default -> ranks;
        };
        int[] rankShape = expanded.clone();
        rankShape[rankShape.length - 1] = 1;
        ranks = ranks.expand(rankShape);
        Tensor below = ranks.to(DType.INT64);
        Tensor values = all.gather(-1, below);
        if (interpolation.equals("linear") || interpolation.equals("midpoint")) {
            Tensor weights = interpolation.equals("midpoint") ? ranks.newFull(ranks.shape(), 0.5) : ranks.sub(below.to(DType.FLOAT32));
            values = values.lerp(all.gather(-1, ranks.ceil().to(DType.INT64)), weights);
        }
        Tensor out = values.squeeze(-1);
        if (keepdim) {
            out = out.reshape(keptShape(qn, x, dim == null ? null : d));
            if (dim != null && x.dim() > 0) {
                out = out.movedim(out.dim() - 1, d + 1);
            }
        }
        return q.dim() == 0 ? out.squeeze(0) : out;
    }

    /** (Q, ...) with the reduced dims kept as 1: all of them for dim null, else dim moved last (moved back after). */
    private static int[] keptShape(int qn, Tensor x, Integer d) {
        int[] shape = new int[x.dim() + 1];
        shape[0] = qn;
        if (d == null) {
            Arrays.fill(shape, 1, shape.length, 1);
            return shape;
        }
        int j = 1;
        for (int i = 0; i < x.dim(); i++) {
            if (i != d) {
                shape[j++] = x.size(i);
            }
        }
        if (x.dim() > 0) {
            shape[j] = 1;
        }
        return x.dim() == 0 ? new int[] {qn} : shape;
    }
}
