package dev.cortado.examples;

import java.util.Arrays;

/** Entry point of {@code ./cortado}: dispatches to the example programs. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Options without a command go to the default command: ./cortado --epochs 50
        boolean implicit = args.length == 0 || args[0].startsWith("--") && !args[0].equals("--help");
        String command = implicit ? "spiral-mlp" : args[0];
        String[] rest = implicit ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "spiral-mlp" -> SpiralMlp.main(rest);
            case "bench-matmul" -> MatmulBench.main(rest);
            case "bench-step" -> StepBench.main(rest);
            case "-h", "--help", "help" -> System.out.println(usage());
            default -> {
                System.err.println("cortado: unknown command '" + command + "'\n\n" + usage());
                System.exit(2);
            }
        }
    }

    static String usage() {
        return """
                usage: ./cortado [command] [options]

                commands:
                  spiral-mlp [--epochs N] [--seed S]   train a small MLP on a generated 3-class spiral (default command)
                  bench-matmul [SIZE ...] [--threads N] CPU sgemm speed in GFLOP/s (default sizes 512 1024 2048)
                  bench-step [cnn|lenet|fashion] [--batch N] [--threads N]
                                                        ms per training step of an MNIST notebook model (default cnn, 128)
                  help                                  this text""";
    }
}
