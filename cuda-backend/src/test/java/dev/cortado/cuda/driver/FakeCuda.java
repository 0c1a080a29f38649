package dev.cortado.cuda.driver;

import dev.cortado.cuda.GpuRequired;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fake CUDA stack of {@code src/test/fakecuda}, as the build's fake-CUDA run loads it
 * ({@code -Dcortado.test.fakecuda=DIR}): its fault injection, through each library's
 * {@code <prefix>FakeFail(call, status, count)}. As a JUnit extension
 * ({@code @ExtendWith(FakeCuda.class)}), a class runs only in that run, and no fault a test left
 * unused reaches the next test.
 */
public final class FakeCuda implements BeforeAllCallback, AfterEachCallback {
    private static final String DIR = System.getProperty("cortado.test.fakecuda");
    /** The libraries with fault injection, and the prefix of their setter. */
    private static final Map<String, String> LIBRARIES = Map.of("libcudart.so.13", "cuda", "libcuda.so.1", "cu", "libcublas.so.13", "cublas",
            "libcudnn_cnn.so.9", "cudnn", "libnvrtc.so.13", "nvrtc");
    private static final Map<String, MethodHandle> SETTERS = new ConcurrentHashMap<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        Assumptions.assumeTrue(DIR != null, "runs only on the fake CUDA stack (mvn verify's fake-cuda run on Linux)");
        GpuRequired.assume();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        clearAll();
    }

    /** The fakes' folder in the build's fake-CUDA run, or null elsewhere. */
    public static String dir() {
        return DIR;
    }

    /** Why the fake-CUDA run's stack was not built (no g++, no CUDA headers), or null where it was. */
    public static String whyNotBuilt() {
        Path unavailable = Path.of(DIR, "unavailable.txt");
        if (!Files.isRegularFile(unavailable)) {
            return null;
        }
        try {
            return Files.readString(unavailable).strip();
        } catch (IOException e) {
            return "cannot read " + unavailable + ": " + e;
        }
    }

    /**
     * The next {@code count} calls of {@code call} in {@code library} (a file of the stack, which
     * is the one JavaCPP loaded: the dynamic linker hands back the loaded copy) return {@code status}.
     */
    public static void fail(String library, String call, int status, int count) {
        try (Arena arena = Arena.ofConfined()) {
            setter(library).invokeExact(arena.allocateFrom(call), status, count);
        } catch (Throwable t) {
            throw new AssertionError("cannot inject a fault into " + library, t);
        }
    }

    /** The next call of {@code call} in {@code library} returns {@code status}. */
    public static void failOnce(String library, String call, int status) {
        fail(library, call, status, 1);
    }

    /** Drops every fault not yet used, in every library of the stack. */
    public static void clearAll() {
        for (String library : LIBRARIES.keySet()) {
            try {
                setter(library).invokeExact(MemorySegment.NULL, 0, 0);
            } catch (Throwable t) {
                throw new AssertionError("cannot clear the faults of " + library, t);
            }
        }
    }

    private static MethodHandle setter(String library) {
        return SETTERS.computeIfAbsent(library, l -> {
            String prefix = LIBRARIES.get(l);
            if (prefix == null) {
                throw new IllegalArgumentException("no fault injection in " + l + "; only in " + LIBRARIES.keySet());
            }
            SymbolLookup lib = SymbolLookup.libraryLookup(Path.of(DIR, l), Arena.global());
            return Linker.nativeLinker().downcallHandle(lib.find(prefix + "FakeFail").orElseThrow(),
                    FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        });
    }

    /** kernels.cu as the backend reads it: the one source the fake NVRTC compiles. */
    public static String kernelsSource() {
        try (InputStream in = FakeCuda.class.getResourceAsStream("/dev/cortado/cuda/kernels.cu")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
