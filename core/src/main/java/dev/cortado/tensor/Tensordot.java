package dev.cortado.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code torch.tensordot}: the contracted dims of a moved last and of b moved first, each side
 * flattened to a matrix, one matrix product, and the free dims unflattened, as PyTorch does it.
 */
final class Tensordot {
    private Tensordot() {
    }

    /** The last {@code dims} dims of a against the first {@code dims} of b. */
    static Tensor tensordot(Tensor a, Tensor b, int dims) {
        if (dims < 0) {
            throw new IllegalArgumentException("tensordot: expects dims >= 0, but got dims=" + dims);
        }
        if (dims > a.dim() || dims > b.dim()) {
            throw new IllegalArgumentException("tensordot: dims " + dims + " exceeds the dims of a " + Shapes.str(a.shape()) + " or b "
                    + Shapes.str(b.shape()));
        }
        int[] da = new int[dims];
        int[] db = new int[dims];
        for (int i = 0; i < dims; i++) {
            da[i] = a.dim() - dims + i;
            db[i] = i;
        }
        return tensordot(a, b, da, db);
    }

    static Tensor tensordot(Tensor a, Tensor b, int[] dimsA, int[] dimsB) {
        if (dimsA.length != dimsB.length) {
            throw new IllegalArgumentException("tensordot: both dimension lists should have same length, got " + dimsA.length + " and "
                    + dimsB.length);
        }
        Kernels.sameDevice("tensordot", a, b);
        if (a.dtype() != DType.FLOAT32 || b.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("tensordot: expected float32 tensors, got " + a.dtype() + " and " + b.dtype());
        }
        if (dimsA.length > 0 && (a.dim() == 0 || b.dim() == 0)) {
            throw new IndexOutOfBoundsException("tensordot: cannot contract dims of a 0-dim tensor, got a " + Shapes.str(a.shape()) + " and b "
                    + Shapes.str(b.shape()));
        }
        boolean[] contractedA = new boolean[a.dim()];
        boolean[] contractedB = new boolean[b.dim()];
        long k = 1;
        int[] ca = new int[dimsA.length];
        int[] cb = new int[dimsB.length];
        for (int i = 0; i < dimsA.length; i++) {
            ca[i] = Shapes.dim("tensordot", dimsA[i], a.dim());
            cb[i] = Shapes.dim("tensordot", dimsB[i], b.dim());
            if (contractedA[ca[i]] || contractedB[cb[i]]) {
                throw new IllegalArgumentException("tensordot: dim " + (contractedA[ca[i]] ? ca[i] + " of a" : cb[i] + " of b")
                        + " appears more than once in the dimension lists");
            }
            if (a.size(ca[i]) != b.size(cb[i])) {
                throw new IllegalArgumentException("tensordot: contracted dimensions need to match, but first has size " + a.size(ca[i])
                        + " in dim " + ca[i] + " and second has size " + b.size(cb[i]) + " in dim " + cb[i]);
            }
            contractedA[ca[i]] = true;
            contractedB[cb[i]] = true;
            k *= a.size(ca[i]);
        }
        List<Integer> permA = new ArrayList<>();
        List<Integer> outShape = new ArrayList<>();
        long m = free(a, contractedA, permA, outShape);
        for (int c : ca) {
            permA.add(c);
        }
        List<Integer> permB = new ArrayList<>();
        for (int c : cb) {
            permB.add(c);
        }
        long n = free(b, contractedB, permB, outShape);
        Tensor left = a.permute(toArray(permA)).reshape((int) m, (int) k);
        Tensor right = b.permute(toArray(permB)).reshape((int) k, (int) n);
        return left.mm(right).reshape(toArray(outShape));
    }

    /** Appends t's dims that are not contracted to perm, and their sizes to outShape; returns their product. */
    private static long free(Tensor t, boolean[] contracted, List<Integer> perm, List<Integer> outShape) {
        long size = 1;
        for (int i = 0; i < t.dim(); i++) {
            if (!contracted[i]) {
                perm.add(i);
                outShape.add(t.size(i));
                size *= t.size(i);
            }
        }
        return size;
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
