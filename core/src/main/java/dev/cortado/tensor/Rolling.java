package dev.cortado.tensor;

import java.util.List;

/**
 * {@code torch.roll}: elements shifted along dims, those that fall off one end coming back at the
 * other (a translation with wrap-around, as used to shift images). Composed of two narrows and a
 * cat per dim, so every backend has it and its gradient is the opposite roll.
 */
final class Rolling {
    private Rolling() {
    }

    static Tensor roll(Tensor x, int[] shifts, int[] dims) {
        if (dims.length == 0) {
            if (shifts.length != 1) {
                throw new IllegalArgumentException("roll: without dims, give one shift for the flattened tensor, got " + shifts.length);
            }
            return x.numel() == 0 ? x : rollDim(x.reshape(-1), shifts[0], 0).reshape(x.shape);
        }
        if (shifts.length != dims.length) {
            throw new IllegalArgumentException("roll: shifts and dims must align, got " + shifts.length + " shifts and " + dims.length + " dims");
        }
        Tensor out = x;
        for (int i = 0; i < dims.length; i++) {
            out = rollDim(out, shifts[i], Shapes.dim("roll", dims[i], x.dim()));
        }
        return out;
    }

    private static Tensor rollDim(Tensor x, int shift, int d) {
        if (x.dim() == 0) {
            return x;
        }
        int n = x.shape[d];
        int s = n == 0 ? 0 : Math.floorMod(shift, n);
        if (s == 0) {
            return x.clone();
        }
        return Joining.cat(List.of(x.narrow(d, n - s, s), x.narrow(d, 0, n - s)), d);
    }
}
