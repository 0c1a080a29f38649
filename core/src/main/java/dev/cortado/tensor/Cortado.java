package dev.cortado.tensor;

/**
 * Library-wide settings: the seed of the default generator, the default device, the number of
 * CPU threads and how tensors print, like {@code torch.manual_seed}, {@code torch.set_num_threads}
 * and {@code torch.set_printoptions}.
 */
public final class Cortado {
    private static volatile Device defaultDevice = Device.CPU;
    private static volatile int numThreads = Runtime.getRuntime().availableProcessors();
    private static volatile PrintOptions printOptions = PrintOptions.DEFAULT;
    private static final Generator DEFAULT_GENERATOR = new Generator(0x5EEDL);

    private Cortado() {
    }

    /** Re-seeds the default generator: the same seed gives bit-identical results on the CPU. */
    public static void manualSeed(long seed) {
        DEFAULT_GENERATOR.manualSeed(seed);
    }

    public static Generator defaultGenerator() {
        return DEFAULT_GENERATOR;
    }

    /** {@code torch.get_rng_state()}: the default generator's state, for {@link #setRngState}. */
    public static Generator.State getRngState() {
        return DEFAULT_GENERATOR.getState();
    }

    /** {@code torch.set_rng_state(state)}: the default generator's draws continue from a saved state. */
    public static void setRngState(Generator.State state) {
        DEFAULT_GENERATOR.setState(state);
    }

    public static Device defaultDevice() {
        return defaultDevice;
    }

    /** Device for tensors created without one. */
    public static void setDefaultDevice(Device device) {
        defaultDevice = java.util.Objects.requireNonNull(device, "device");
    }

    /** How tensors print from now on, as {@code torch.set_printoptions}; {@link PrintOptions#DEFAULT} restores PyTorch's. */
    public static void setPrintOptions(PrintOptions options) {
        printOptions = java.util.Objects.requireNonNull(options, "options");
    }

    public static PrintOptions printOptions() {
        return printOptions;
    }

    public static int numThreads() {
        return numThreads;
    }

    /** Threads the CPU backend may use for one kernel; results do not depend on it. */
    public static void setNumThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("setNumThreads: need at least 1 thread, got " + n);
        }
        numThreads = n;
    }
}
