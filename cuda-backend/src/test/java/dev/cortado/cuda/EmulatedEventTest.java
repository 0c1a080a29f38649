package dev.cortado.cuda;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CudaEvent on the emulated device: timing work between two records, and its misuse. */
class EmulatedEventTest {
    private static final Device GPU = EmulatedCudaProvider.DEVICE;

    @BeforeAll
    static void needsEmulator() {
        EmulatorRequired.assume();
    }

    private static CudaEvent event() {
        return new CudaEvent(EmulatedCudaProvider.backend(), GPU);
    }

    @Test
    void timesTheWorkBetweenTwoRecords() throws InterruptedException {
        try (CudaEvent start = event(); CudaEvent end = event()) {
            assertTrue(end.query(), "an event never recorded has nothing to wait for");
            start.record();
            Tensor x = Tensor.ones(new int[] {1000}, DType.FLOAT32, GPU);
            x.mul(2).sum().item();
            Thread.sleep(5);
            end.record();
            end.synchronize();
            assertTrue(end.query());
            float ms = start.elapsedTime(end);
            assertTrue(ms >= 5 && ms < 10_000, ms + " ms");
        }
    }

    @Test
    void misuseSaysWhatIsWrong() {
        CudaEvent start = event();
        CudaEvent end = event();
        start.synchronize(); // never recorded: nothing to wait for
        assertMessage(() -> start.elapsedTime(end), "elapsedTime", "start event was never recorded");
        start.record();
        assertMessage(() -> start.elapsedTime(end), "elapsedTime", "end event was never recorded");
        end.record();
        start.record();
        start.close();
        start.close();
        assertMessage(start::record, "CudaEvent.record", "closed");
        assertMessage(() -> start.elapsedTime(end), "CudaEvent.elapsedTime", "closed");
        end.close();
    }
}
