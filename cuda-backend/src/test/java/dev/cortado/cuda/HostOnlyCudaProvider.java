package dev.cortado.cuda;

import dev.cortado.backend.Backend;
import dev.cortado.backend.BackendProvider;
import dev.cortado.tensor.Device;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CUDA backend on a {@link HostOnlyRuntime}, under the device type {@code cuda-host-only}:
 * for measuring the host's share of a GPU training step, and for counting the library calls and
 * launches a step makes. Its results are meaningless (nothing is computed).
 */
public final class HostOnlyCudaProvider implements BackendProvider {
    public static final Device DEVICE = new Device("cuda-host-only", 0);
    private static volatile HostOnlyRuntime runtime;

    /** How often each kind of device call happened so far, by name (launch, gemm, conv_forward, ...). */
    public static Map<String, Long> counts() {
        HostOnlyRuntime r = runtime;
        Map<String, Long> out = new LinkedHashMap<>();
        long[] c = r == null ? new long[HostOnlyRuntime.Call.values().length] : r.counts();
        for (HostOnlyRuntime.Call call : HostOnlyRuntime.Call.values()) {
            out.put(call.name().toLowerCase(java.util.Locale.ROOT), c[call.ordinal()]);
        }
        return out;
    }

    /** How often each kernel was launched so far, by name. */
    public static Map<String, Long> kernels() {
        HostOnlyRuntime r = runtime;
        return r == null ? Map.of() : r.kernels();
    }

    @Override
    public String deviceType() {
        return DEVICE.type();
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String whyUnavailable() {
        return "";
    }

    @Override
    public Backend create() {
        return new CudaBackend(DEVICE.type(), 1, index -> {
            HostOnlyRuntime r = new HostOnlyRuntime();
            runtime = r;
            return r;
        });
    }
}
