package dev.cortado.cuda;

import dev.cortado.cuda.driver.LaunchArgs;

import java.io.File;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * kernels.cu compiled for the CPU by the host's C++ compiler (cuda_emulator.cpp supplies what
 * CUDA builds in) and called through the same argument array cuLaunchKernel receives. Built once
 * per test run; where no compiler is installed, {@link #whyUnavailable()} says so and the
 * emulated tests skip.
 */
final class KernelEmulator {
    private static final String UNTRIED = "";
    private static String why = UNTRIED;
    private static MethodHandle launch;

    private KernelEmulator() {
    }

    /** Why the emulator cannot run here, or null when it can. */
    static synchronized String whyUnavailable() {
        if (why == UNTRIED) {
            try {
                launch = build();
                why = null;
            } catch (Exception e) {
                why = e.getMessage();
            }
        }
        return why;
    }

    /** Runs a launch on the CPU; throws with the emulator's reason when the launch is malformed. */
    static void launch(String kernel, int grid, int block, LaunchArgs args) {
        if (whyUnavailable() != null) {
            throw new IllegalStateException("kernel emulator unavailable: " + why);
        }
        try (args; var pointers = args.pointers(); Arena arena = Arena.ofConfined()) {
            MemorySegment sizes = arena.allocate(ValueLayout.JAVA_LONG, Math.max(1, args.count()));
            for (int i = 0; i < args.count(); i++) {
                sizes.setAtIndex(ValueLayout.JAVA_LONG, i, args.size(i));
            }
            MemorySegment error = (MemorySegment) launch.invokeExact(arena.allocateFrom(kernel), grid, block,
                    MemorySegment.ofAddress(pointers.address()), sizes, args.count());
            if (!error.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("emulated launch of " + kernel + ": " + error.reinterpret(4096).getString(0));
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static MethodHandle build() throws IOException, InterruptedException {
        Path cxx = compiler();
        if (cxx == null) {
            throw new IllegalStateException("no C++ compiler (g++, clang++ or c++) on the PATH to build the kernel emulator");
        }
        Path dir = Files.createTempDirectory("cortado-emulator");
        String source = CudaDevice.source();
        Files.writeString(dir.resolve("kernels.cu"), source);
        StringBuilder table = new StringBuilder();
        Matcher m = Pattern.compile("extern \"C\" __global__ void (\\w+)\\(").matcher(source);
        while (m.find()) {
            table.append("KERNEL(").append(m.group(1)).append(")\n");
        }
        Files.writeString(dir.resolve("kernel_table.inc"), table);
        try (InputStream in = KernelEmulator.class.getResourceAsStream("cuda_emulator.cpp")) {
            Files.write(dir.resolve("cuda_emulator.cpp"), in.readAllBytes());
        }
        Path lib = dir.resolve("libcortado_emulator.so");
        Process p = new ProcessBuilder(cxx.toString(), "-std=c++17", "-O1", "-ffp-contract=off", "-U_FORTIFY_SOURCE", "-shared", "-fPIC", "-I" + dir, "-o", lib.toString(),
                dir.resolve("cuda_emulator.cpp").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(cxx + " could not build the kernel emulator:\n" + out);
        }
        SymbolLookup symbols = SymbolLookup.libraryLookup(lib, Arena.global());
        MethodHandle handle = Linker.nativeLinker().downcallHandle(symbols.find("emu_launch").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        // Loaded libraries stay mapped after their files are gone; leave nothing behind in the temp folder.
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
        return handle;
    }

    private static Path compiler() {
        for (String name : new String[] {"g++", "clang++", "c++"}) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path c = Path.of(dir, name);
                if (Files.isExecutable(c)) {
                    return c;
                }
            }
        }
        return null;
    }
}
