package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.cortado.testing.Inputs.assertMessage;

/** Every shape or dtype mismatch names the op, the shapes and the rule. */
class ErrorsTest extends OnReference {
    @Test
    void nllLossNamesItsArguments() {
        Tensor logp = Tensor.zeros(4, 3);
        Tensor targets = Tensor.fromArray(new long[] {0, 1, 2, 0}, new int[] {4});
        assertMessage(() -> Classification.nllLoss(logp, Tensor.zeros(4), null, -100), "nll_loss", "int64 targets (N)", "float32");
        assertMessage(() -> Classification.nllLoss(logp, targets.narrow(0, 0, 3), null, -100), "nll_loss", "(3,)");
        assertMessage(() -> Classification.nllLoss(logp, targets, Tensor.ones(4), -100), "nll_loss", "weight (4,)");
        assertMessage(() -> Classification.nllLoss(logp, targets.to(new Device("reference", 1)), null, -100), "nll_loss", "same device");
    }

    @Test
    void broadcasting() {
        assertMessage(() -> Tensor.ones(2, 3).add(Tensor.ones(4)), "add", "(2, 3)", "(4,)", "broadcast");
        assertMessage(() -> Tensor.ones(2, 3).mul(Tensor.ones(3, 3)), "mul", "(3, 3)");
        assertMessage(() -> Tensor.where(Tensor.ones(2), Tensor.ones(3), Tensor.ones(3)), "where");
        assertMessage(() -> Tensor.ones(3).copy_(Tensor.ones(2, 3)), "copy_", "(2, 3)");
    }

    /** In place, an int64 tensor keeps its dtype: a result with a fraction is an error, as in PyTorch, never truncated. */
    @Test
    void inPlaceArithmeticThatWouldLeaveInt64() {
        Tensor counts = Tensor.arange(4);
        assertMessage(() -> counts.div_(2), "div_", "float32", "int64", "divided");
        assertMessage(() -> counts.mul_(0.5), "mul_", "float32", "int64", "0.5");
        assertMessage(() -> counts.add_(0.25), "add_", "int64");
        Tensor labels = Tensor.fromArray(new long[] {4, 2}, 2);
        assertMessage(() -> labels.add_(Tensor.fromArray(new float[] {0.5f, 0.5f}, 2)), "add_", "float32", "int64", "FLOAT32");
        assertMessage(() -> labels.div_(Tensor.fromArray(new long[] {2, 2}, 2)), "div_", "divided by", "int64");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {3, 1}, labels.sub_(Tensor.fromArray(new long[] {1, 1}, 2)).toLongArray());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {0, 1, 2, 3}, counts.toLongArray(), "left as it was");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {2, 5, 8, 11}, counts.mul_(3).add_(2).toLongArray());
    }

    @Test
    void matmul() {
        assertMessage(() -> Tensor.ones(128, 784).matmul(Tensor.ones(512, 10)),
                "matmul: (128, 784) @ (512, 10): inner dimensions 784 and 512 differ");
        assertMessage(() -> Tensor.scalar(1).matmul(Tensor.ones(3)), "matmul", "at least 1 dimension");
        assertMessage(() -> Tensor.arange(3).matmul(Tensor.arange(3)), "matmul", "int64");
        assertMessage(() -> Tensor.ones(2, 3, 4).matmul(Tensor.ones(3, 4, 5)), "matmul", "broadcast");
    }

    @Test
    void reductionsAndDims() {
        assertMessage(() -> Tensor.ones(2, 3).sum(2), "sum", "[-2, 1]", "got 2");
        assertMessage(() -> Tensor.ones(2, 3).sum(new int[] {1, -1}, false), "sum", "more than once");
        assertMessage(() -> Tensor.arange(3).mean(), "mean", "int64");
        assertMessage(() -> Tensor.arange(3).var(true), "var", "floating point", "int64");
        assertMessage(() -> Tensor.arange(3).std(true), "std", "floating point", "int64");
        assertMessage(() -> Tensor.zeros(0, 3).max(), "max", "non-empty");
        assertMessage(() -> Tensor.zeros(2, 0).max(1, false), "max", "size 0");
        assertMessage(() -> Tensor.zeros(0, 3).argmax(), "argmax: cannot reduce over dimension 0 of size 0");
        assertMessage(() -> Tensor.zeros(2, 0).argmin(1, false), "argmin: cannot reduce over dimension 1 of size 0");
        assertMessage(() -> Tensor.zeros(2, 3).argmax(2, false), "argmax");
        assertMessage(() -> Tensor.ones(2, 3).softmax(3), "softmax", "range");
        assertMessage(() -> Tensor.arange(3).softmax(0), "softmax", "int64");
    }

    @Test
    void joining() {
        assertMessage(() -> Tensor.cat(List.of(), 0), "cat", "non-empty");
        assertMessage(() -> Tensor.cat(List.of(Tensor.ones(2, 3), Tensor.ones(2, 4)), 0), "cat", "(2, 4)", "dimension 0");
        assertMessage(() -> Tensor.cat(List.of(Tensor.ones(2, 3), Tensor.ones(3)), 0), "cat", "number of dimensions");
        assertMessage(() -> Tensor.stack(List.of(Tensor.ones(2), Tensor.ones(3)), 0), "stack", "(2,)", "(3,)");
        assertMessage(() -> Tensor.ones(1, 3).pad(new int[] {3, 3}, PadMode.REFLECT, 0), "pad", "reflect", "(1, 3)", "less than its size 3");
        assertMessage(() -> Tensor.ones(1, 3).pad(new int[] {-1, 0}, PadMode.REPLICATE, 0), "pad", "replicate", "(-1, 0)", "non-negative");
        assertMessage(() -> Tensor.ones(2, 0).pad(new int[] {1, 0}, PadMode.REPLICATE, 0), "pad", "replicate", "(2, 0)", "no edge");
        assertMessage(() -> Tensor.ones(1, 3).pad(new int[] {4, 0}, PadMode.CIRCULAR, 0), "pad", "circular", "at most its size 3",
                "wraps around once");
        assertMessage(() -> Tensor.ones(3).pad(1), "pad", "even");
        assertMessage(() -> Tensor.scalar(3).narrow(0, 0, 1), "narrow()", "0-dim");
        assertMessage(() -> Tensor.scalar(3).select(0, 0), "select()", "0-dim");
        assertMessage(() -> Tensor.scalar(3).slice(-1, 0, 1, 1), "slice()", "0-dim");
        org.junit.jupiter.api.Assertions.assertEquals(3, Tensor.scalar(3).flip(0).item(), "flip of a 0-dim tensor is itself, as in PyTorch");
        assertMessage(() -> Tensor.ones(3).pad(1, 1, 1, 1), "pad", "too long");
        assertMessage(() -> Tensor.ones(3).pad(-2, -2), "pad", "negative");
    }

    @Test
    void creationAndConversion() {
        assertMessage(() -> Tensor.fromArray(new float[6], 2, 4), "fromArray", "6 values", "(2, 4)");
        assertMessage(() -> Tensor.tensor(new float[][] {{1, 2}, {3}}), "tensor", "ragged");
        assertMessage(() -> Tensor.tensor("nope"), "tensor", "String");
        assertMessage(() -> Tensor.ones(2).item(), "item", "(2,)");
        assertMessage(() -> Tensor.arange(0, 5, 0), "arange", "step");
        assertMessage(() -> Tensor.randint(5, 5, 2), "randint", "high");
        assertMessage(() -> Tensor.ones(2).clamp(3, 1), "clamp", "greater");
        assertMessage(() -> Tensor.ones(-1), "negative dimension");
        assertMessage(() -> Tensor.ones(65536, 32768), "shape (65536, 32768) has more than 2^31 - 9 elements");
        assertMessage(() -> Tensor.ones(2).to(new Device("tpu", 0)), "tpu", "class path");
    }

    @Test
    void devicesNeverMixSilently() {
        Tensor other = Tensor.ones(new int[] {2}, DType.FLOAT32, new Device("reference", 1));
        assertMessage(() -> Tensor.ones(2).add(other), "add", "same device", "reference:0", "reference:1");
        assertMessage(() -> Tensor.ones(2, 2).matmul(other), "matmul", "same device");
        assertMessage(() -> Tensor.cat(List.of(Tensor.ones(2), other), 0), "cat", "same device");
        assertMessage(() -> Tensor.ones(2).copy_(other), "copy_", "same device");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {2, 2}, Tensor.ones(2).add(other.to(Cortado.defaultDevice())).toDoubleArray(), 0);
    }
}
