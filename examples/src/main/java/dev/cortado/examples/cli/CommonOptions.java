package dev.cortado.examples.cli;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** The options every experiment takes: where data and results go, seed, device, threads and schedule length. */
public final class CommonOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Data folder (default: $CORTADO_DATA or ~/.cache/cortado/data); e.g. ../shared/data")
    Path data;

    @Option(names = "--download", description = "Fetch missing data files from their canonical locations (checked by MD5)")
    public boolean download;

    @Option(names = "--out", paramLabel = "DIR", description = "Where results.json, report.md and the plots go (default: runs/<command>-<time>)")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE})")
    public long seed;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu or cuda[:N] (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--threads", description = "CPU threads (default: all cores)")
    Integer threads;

    @Option(names = "--epochs", description = "Override the number of epochs")
    public Integer epochs;

    @Option(names = "--steps", description = "Override the number of optimizer steps (where a command counts steps)")
    public Integer steps;

    @Option(names = "--quick", description = "A short schedule on small data: a smoke run in a minute or two")
    public boolean quick;

    @Option(names = "--save-models", description = "Also write each trained model's weights to OUT/models/<name>.pt (torch.save format)")
    public boolean saveModels;

    private Path resolvedOut;
    private Device resolvedDevice;

    /** Applies threads, seed and device, and fixes the output folder. */
    public void start(String command) throws IOException {
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
            Cortado.setNumThreads(threads);
        }
        Cortado.manualSeed(seed);
        resolvedDevice = Device.parse(device);
        try {
            Tensor.zeros(1).to(resolvedDevice);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--device " + device + " is not usable: " + e.getMessage(), e);
        }
        Cortado.setDefaultDevice(Device.CPU);
        resolvedOut = out != null ? out
                : Path.of("runs", command + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** The output folder, created on first use. */
    public Path out() throws IOException {
        return Files.createDirectories(resolvedOut);
    }

    /**
     * With --save-models, writes {@code model}'s state dict to OUT/models/NAME.pt, which PyTorch's
     * {@code load_state_dict(torch.load(...))} reads into the same architecture; returns the file,
     * or null without the option.
     */
    public Path saveModel(String name, dev.cortado.nn.Module model) throws IOException {
        if (!saveModels) {
            return null;
        }
        Path file = Files.createDirectories(out().resolve("models")).resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".pt");
        dev.cortado.nn.Checkpoints.save(model, file);
        return file;
    }

    public Device device() {
        return resolvedDevice;
    }

    public Path data() {
        if (data != null) {
            return data;
        }
        String env = System.getenv("CORTADO_DATA");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "cortado", "data");
    }

    /** The data folder of one data set: DIR/name when that exists, else DIR itself (so --data may point at either). */
    public Path data(String name) {
        Path sub = data().resolve(name);
        return Files.isDirectory(sub) ? sub : data();
    }

    /** --epochs if given, else the quick or the full schedule. */
    public int epochs(int full, int quickEpochs) {
        int e = epochs != null ? epochs : quick ? quickEpochs : full;
        if (e < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + e);
        }
        return e;
    }

    /** How a target reads in a report: a quick run only hints, since targets are for the full schedule. */
    public String verdict(boolean met) {
        return quick ? (met ? "met (quick run)" : "not met (quick run)") : met ? "met" : "**not met**";
    }

    public int threadsUsed() {
        return Cortado.numThreads();
    }
}
