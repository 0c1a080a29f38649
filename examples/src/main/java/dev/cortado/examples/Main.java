package dev.cortado.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Entry point of {@code ./cortado}: the notebook experiments, the small examples and the benchmarks. */
@Command(name = "cortado", mixinStandardHelpOptions = true, version = "Cortado 0.1.0",
        description = "The CNN course notebooks as programs, and Cortado's benchmarks.",
        subcommands = {CommandLine.HelpCommand.class, InductiveBias.class, MlpVsCnn.class, Fashion.class, Equivariance.class, Resnet.class, ImageFolderTraining.class, Classify.class, WganGp.class, SpiralMlp.class, MatmulBench.class, dev.cortado.examples.bench.Bench.class, DataBench.class, GpuCheck.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code: 0 done, 1 failed (with a one-line reason), 2 bad usage. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            String name = line.getCommandName();
            if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException || cause instanceof IOException) {
                line.getErr().println("cortado " + name + ": " + cause.getMessage());
            } else {
                line.getErr().println("cortado " + name + ": failed");
                cause.printStackTrace(line.getErr());
            }
            return 1;
        });
        return cl.execute(args);
    }
}
