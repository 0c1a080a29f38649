package dev.cortado.cuda;

import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.Conv2dParams;
import dev.cortado.backend.ReduceOp;
import dev.cortado.backend.UnaryOp;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.ReferenceBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CUDA backend's own checks, called as core would call it but with what core never passes:
 * each says which op, device, dtype or layout was wrong instead of launching a kernel on it. And
 * the device-wide controls behind {@code Cuda}: emptying the cache, synchronising, TF32.
 */
class EmulatedBackendErrorsTest {
    private static final Device GPU = EmulatedCudaProvider.DEVICE;

    @BeforeAll
    static void needsEmulator() {
        EmulatorRequired.assume();
    }

    private static Tensor floats(int... shape) {
        return Tensor.ones(shape, DType.FLOAT32, GPU);
    }

    private static Tensor longs(int... shape) {
        return Tensor.ones(shape, DType.INT64, GPU);
    }

    @Test
    void rejectsDevicesItDoesNotServe() {
        CudaBackend b = EmulatedCudaProvider.backend();
        assertMessage(() -> b.context(new Device(EmulatedCudaProvider.TYPE, 3)), "cuda-emulated:3 does not exist",
                "2 cuda-emulated devices (cuda-emulated:0 to cuda-emulated:1)");
        assertMessage(() -> b.context(Device.cuda()), "cuda-emulated backend asked for device cuda:0");
        Tensor host = Tensor.ones(new int[] {2}, DType.FLOAT32, ReferenceBackend.DEVICE);
        assertMessage(() -> b.fill(host, 1), "cuda-emulated backend asked for device reference:0");
    }

    @Test
    void rejectsOpsTheKernelsDoNotDefine() {
        CudaBackend b = EmulatedCudaProvider.backend();
        Tensor l = longs(4);
        assertMessage(() -> b.unary(UnaryOp.EXP, longs(4), l, 0, 0), "unary EXP is not defined for int64");
        assertMessage(() -> b.binary(BinaryOp.DIV, longs(4), l, l), "binary DIV is not defined for int64");
        assertMessage(() -> b.binaryScalar(BinaryOp.POW, longs(4), l, 2), "binary POW is not defined for int64");
        assertMessage(() -> b.reduce(ReduceOp.MEAN, longs(), l, new int[] {0}), "reduce MEAN is not defined for int64");
        assertMessage(() -> b.argReduce(ReduceOp.SUM, floats(), longs(), floats(4), 0), "argReduce: SUM is not MAX or MIN");
        assertMessage(() -> b.toFloats(l), "cuda toFloats: expects float32, got int64");
        assertMessage(() -> b.toLongs(floats(2)), "cuda toLongs: expects int64, got float32");
    }

    @Test
    void windowOpsWantContiguousTensors() {
        CudaBackend b = EmulatedCudaProvider.backend();
        Tensor x = floats(1, 2, 5, 5).transpose(2, 3);
        Conv2dParams p = new Conv2dParams(3, 3, 1, 1, 0, 0, 1, 1, 1);
        assertMessage(() -> b.conv2d(floats(1, 4, 3, 3), x, floats(4, 2, 3, 3), p), "cuda conv2d: expects contiguous tensors",
                "strides (50, 25, 1, 5)");
    }

    @Test
    void deviceWideControls() {
        CudaBackend b = EmulatedCudaProvider.backend();
        Tensor.ones(new int[] {1 << 20}, DType.FLOAT32, GPU).close();
        assertTrue(b.stats(0).reserved() > b.stats(0).allocated(), "a released tensor's block stays cached");
        b.emptyCache(0);
        assertEquals(b.stats(0).allocated(), b.stats(0).reserved(), "emptyCache gives every cached block back");
        b.synchronize(0);
        b.setTf32(true);
        b.setTf32(false);
        b.setDeterministic(true);
        b.setDeterministic(false);
        assertEquals("emulated", b.info(0).name());
    }
}
