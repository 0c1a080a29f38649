package dev.cortado.cuda.driver;

import org.bytedeco.cuda.cudart.cudaPointerAttributes;
import org.bytedeco.cuda.global.cudart;

/** Which device's memory an address lies in, as the CUDA runtime knows it (cudaPointerGetAttributes). */
public final class Residency {
    private Residency() {
    }

    /** The device whose memory holds {@code address}; throws where it is not device memory. */
    public static int deviceOf(long address) {
        try (cudaPointerAttributes a = new cudaPointerAttributes()) {
            Check.runtime(cudart.cudaPointerGetAttributes(a, new Address(address)), "cudaPointerGetAttributes");
            if (a.type() != cudart.cudaMemoryTypeDevice) {
                throw new AssertionError("0x" + Long.toHexString(address) + " is not device memory (cudaMemoryType " + a.type() + ")");
            }
            return a.device();
        }
    }
}
