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
import java.util.ArrayList;
import java.util.List;
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

    /** Whether a C++ compiler is on the PATH: then the emulator must build, and a failure is a bug, not a reason to skip. */
    static boolean compilerInstalled() {
        return compiler() != null;
    }

    /**
     * Runs a launch on the CPU; throws with the emulator's reason when the launch is malformed.
     * {@code live} holds the device's allocations as (address, bytes) pairs in ascending order,
     * which every pointer argument must point into.
     */
    static void launch(String kernel, int grid, int block, LaunchArgs args, long[] live) {
        if (whyUnavailable() != null) {
            throw new IllegalStateException("kernel emulator unavailable: " + why);
        }
        try (args; var pointers = args.pointers(); Arena arena = Arena.ofConfined()) {
            MemorySegment sizes = arena.allocate(ValueLayout.JAVA_LONG, Math.max(1, args.count()));
            for (int i = 0; i < args.count(); i++) {
                sizes.setAtIndex(ValueLayout.JAVA_LONG, i, args.size(i));
            }
            MemorySegment error = (MemorySegment) launch.invokeExact(arena.allocateFrom(kernel), grid, block,
                    MemorySegment.ofAddress(pointers.address()), sizes, args.count(), arena.allocateFrom(ValueLayout.JAVA_LONG, live),
                    live.length / 2);
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
        String configured = System.getProperty(FLAGS);
        if (configured != null) {
            compile(cxx, dir, lib, split(configured));
            unsanitized = configured.contains("-fsanitize=undefined") ? null : FLAGS + " is \"" + configured + "\"";
        } else {
            try {
                compile(cxx, dir, lib, SANITIZER);
                unsanitized = null;
            } catch (IllegalStateException e) {
                // A compiler without the sanitizer's runtime still gets the emulated tests, unchecked.
                compile(cxx, dir, lib, List.of());
                unsanitized = e.getMessage();
                System.out.println("kernel emulator built without " + String.join(" ", SANITIZER) + ": " + unsanitized);
            }
        }
        SymbolLookup symbols = SymbolLookup.libraryLookup(lib, Arena.global());
        MethodHandle handle = Linker.nativeLinker().downcallHandle(symbols.find("emu_launch").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        // Loaded libraries stay mapped after their files are gone; leave nothing behind in the temp folder.
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
        return handle;
    }

    /**
     * The system property that replaces {@link #SANITIZER} with other compiler flags (an empty
     * value builds the emulator without any).
     */
    static final String FLAGS = "cortado.emulator.cxxflags";

    /**
     * The undefined-behaviour sanitizer, which the emulator is built with where the compiler has
     * its runtime: a launch in which a kernel indexes past a fixed-size array, overflows a signed
     * int, shifts by the type's width or more, converts an out-of-range float to an int or
     * accesses misaligned memory fails with the sanitizer's report. A GPU gives garbage for each.
     */
    static final List<String> SANITIZER = List.of("-fsanitize=undefined,float-cast-overflow", "-fno-sanitize=vptr", "-static-libubsan");

    private static String unsanitized = UNTRIED;

    /** Why the emulator runs without the sanitizer, or null when it has it. */
    static synchronized String whyUnsanitized() {
        String why = whyUnavailable();
        return why != null ? why : unsanitized;
    }

    private static List<String> split(String flags) {
        return flags.isBlank() ? List.of() : List.of(flags.strip().split("\\s+"));
    }

    private static void compile(Path cxx, Path dir, Path lib, List<String> flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(cxx.toString(), "-std=c++17", "-O1", "-ffp-contract=off", "-U_FORTIFY_SOURCE", "-shared", "-fPIC"));
        command.addAll(flags);
        command.addAll(List.of("-I" + dir, "-o", lib.toString(), dir.resolve("cuda_emulator.cpp").toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " could not build the kernel emulator:\n" + out);
        }
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
