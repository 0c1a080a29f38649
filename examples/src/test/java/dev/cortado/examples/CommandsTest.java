package dev.cortado.examples;

import dev.cortado.io.Json;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every experiment command runs to the end in its quick mode on tiny data written here (MNIST and
 * CIFAR-10 formats), and leaves results.json, report.md and its plots; bad options and missing
 * data end with exit codes and messages that say what is wrong.
 */
class CommandsTest {
    @TempDir
    static Path data;

    @BeforeAll
    static void tinyData() throws IOException {
        Cortado.setDefaultDevice(Device.CPU);
        for (String name : List.of("mnist", "fashion-mnist")) {
            Path dir = Files.createDirectories(data.resolve(name));
            gz(dir.resolve("train-images-idx3-ubyte.gz"), images(96, 28, 1));
            gz(dir.resolve("train-labels-idx1-ubyte.gz"), labels(96));
            gz(dir.resolve("t10k-images-idx3-ubyte.gz"), images(40, 28, 2));
            gz(dir.resolve("t10k-labels-idx1-ubyte.gz"), labels(40));
        }
        Path cifar = Files.createDirectories(data.resolve("cifar-10"));
        for (int b = 1; b <= 5; b++) {
            Files.write(cifar.resolve("data_batch_" + b + ".bin"), cifarBatch(24, b));
        }
        Files.write(cifar.resolve("test_batch.bin"), cifarBatch(20, 9));
        Path cifar100 = Files.createDirectories(data.resolve("cifar-100").resolve("cifar-100-binary"));
        Files.write(cifar100.resolve("train.bin"), cifarBatch(40, 3, 2, 100));
        Files.write(cifar100.resolve("test.bin"), cifarBatch(20, 4, 2, 100));
    }

    /** Images that depend on the label, so the short runs have something to learn. */
    private static byte[] images(int n, int size, long seed) {
        Random r = new Random(seed);
        ByteBuffer b = ByteBuffer.allocate(16 + n * size * size).putInt(0x803).putInt(n).putInt(size).putInt(size);
        for (int i = 0; i < n; i++) {
            int label = i % 10;
            for (int p = 0; p < size * size; p++) {
                int row = p / size;
                b.put((byte) (row / 3 == label ? 200 + r.nextInt(50) : r.nextInt(30)));
            }
        }
        return b.array();
    }

    private static byte[] labels(int n) {
        ByteBuffer b = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) (i % 10));
        }
        return b.array();
    }

    private static byte[] cifarBatch(int n, long seed) {
        return cifarBatch(n, seed, 1, 10);
    }

    /** Records of labelBytes labels (each i mod classes; CIFAR-100's coarse one stays below 20) and 3,072 random pixels. */
    private static byte[] cifarBatch(int n, long seed, int labelBytes, int classes) {
        Random r = new Random(seed);
        int record = labelBytes + 3072;
        byte[] out = new byte[n * record];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < labelBytes; k++) {
                out[i * record + k] = (byte) (i % (k + 1 < labelBytes ? 20 : classes));
            }
            for (int p = labelBytes; p < record; p++) {
                out[i * record + p] = (byte) r.nextInt(256);
            }
        }
        return out;
    }

    private static void gz(Path file, byte[] bytes) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(bytes);
        }
    }

    /** Runs a command line; returns the exit code and what went to standard error. */
    private static Object[] run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try {
            int code = Main.run(args);
            return new Object[] {code, captured.toString()};
        } finally {
            System.setErr(err);
        }
    }

    private static Map<?, ?> ranAndWrote(Path out, List<String> pngs, String... args) throws IOException {
        Object[] r = run(args);
        assertEquals(0, r[0], "exit code of " + String.join(" ", args) + "; stderr:\n" + r[1]);
        assertTrue(Files.size(out.resolve("report.md")) > 100, "report.md written");
        for (String png : pngs) {
            Path p = out.resolve(png);
            assertTrue(Files.exists(p) && Files.size(p) > 1000, png + " written");
        }
        return (Map<?, ?>) Json.parse(Files.readString(out.resolve("results.json")));
    }

    @Test
    void mlpVsCnnOnMnistAndCifar(@TempDir Path out) throws IOException {
        Map<?, ?> r = ranAndWrote(out.resolve("m"), List.of("accuracy.png", "train-loss.png"), "mlp-vs-cnn", "--quick", "--data", data.toString(),
                "--out", out.resolve("m").toString());
        Map<?, ?> metrics = (Map<?, ?>) r.get("metrics");
        assertEquals(List.of("FC", "LeNet", "CNN"), List.copyOf(metrics.keySet()));
        Map<?, ?> cnn = (Map<?, ?>) metrics.get("CNN");
        assertEquals(1, ((List<?>) cnn.get("test_accuracy")).size());
        assertEquals(98442L, cnn.get("parameters"));
        Map<?, ?> c = ranAndWrote(out.resolve("c"), List.of("accuracy.png"), "mlp-vs-cnn", "--dataset", "cifar10", "--quick", "--data",
                data.toString(), "--out", out.resolve("c").toString());
        assertTrue(((Map<?, ?>) ((Map<?, ?>) c.get("metrics")).get("ThreeLayerConvNet")).containsKey("final_test_accuracy"));
    }

    @Test
    void fashionComparesOptimizers(@TempDir Path out) throws IOException {
        Map<?, ?> r = ranAndWrote(out, List.of("loss.png", "accuracy.png", "confusion-sgd.png", "confusion-adam.png"), "fashion", "--quick",
                "--epochs", "2", "--seeds", "2", "--data", data.toString(), "--out", out.toString());
        Map<?, ?> metrics = (Map<?, ?>) r.get("metrics");
        assertEquals(List.of("SGD", "SGD/seed1", "Adam", "Adam/seed1"), List.copyOf(metrics.keySet()));
        Map<?, ?> sgd = (Map<?, ?>) metrics.get("SGD");
        assertEquals(2, ((List<?>) sgd.get("valid_loss")).size());
        assertEquals(2, ((List<?>) sgd.get("final_valid_accuracy_per_seed")).size());
        assertTrue(Files.readString(out.resolve("report.md")).contains("precision"));
    }

    @Test
    void equivarianceOfTheCnnIsExact(@TempDir Path out) throws IOException {
        Map<?, ?> r = ranAndWrote(out, List.of("equivariance.png"), "equivariance", "--data", data.toString(), "--out", out.toString());
        Map<?, ?> metrics = (Map<?, ?>) r.get("metrics");
        double cnn = ((Number) ((Map<?, ?>) metrics.get("CNN")).get("mean_equivariance_error")).doubleValue();
        double mlp = ((Number) ((Map<?, ?>) metrics.get("MLP")).get("mean_equivariance_error")).doubleValue();
        assertTrue(cnn < 1e-5 && mlp > 0.1, "CNN " + cnn + ", MLP " + mlp);
    }

    @Test
    void resnetOnPaddedFashionAndCifar(@TempDir Path out) throws IOException {
        Map<?, ?> r = ranAndWrote(out.resolve("f"), List.of("train-loss.png"), "resnet", "--dataset", "fashion-mnist", "--quick", "--steps", "2",
                "--save-models", "--data", data.toString(), "--out", out.resolve("f").toString());
        Map<?, ?> metrics = (Map<?, ?>) r.get("metrics");
        assertEquals(List.of("ResNet-20", "plain-20"), List.copyOf(metrics.keySet()));
        assertEquals(2L, ((Map<?, ?>) metrics.get("ResNet-20")).get("steps"));
        // --save-models: each trained model's state dict, in torch.save's format.
        Map<String, dev.cortado.tensor.Tensor> saved = dev.cortado.io.TorchSerialization.loadStateDict(
                out.resolve("f/models/ResNet-20.pt"), dev.cortado.tensor.Device.CPU);
        assertArrayEquals(new int[] {10, 64}, saved.get("fc.weight").shape());
        assertTrue(Files.isRegularFile(out.resolve("f/models/plain-20.pt")));
        ranAndWrote(out.resolve("c"), List.of("train-loss.png"), "resnet", "--steps", "1", "--data", data.toString(), "--out",
                out.resolve("c").toString());
        assertFalse(Files.exists(out.resolve("c/models")), "no models without --save-models");
        Map<?, ?> c100 = ranAndWrote(out.resolve("c100"), List.of("train-loss.png"), "resnet", "--dataset", "cifar100", "--steps", "1",
                "--save-models", "--data", data.toString(), "--out", out.resolve("c100").toString());
        assertEquals(40L, ((Map<?, ?>) c100.get("config")).get("train_images"));
        assertArrayEquals(new int[] {100, 64}, dev.cortado.io.TorchSerialization.loadStateDict(out.resolve("c100/models/ResNet-20.pt"),
                dev.cortado.tensor.Device.CPU).get("fc.weight").shape());
    }

    @Test
    void wganGpTrainsAndWritesSamples(@TempDir Path out) throws IOException {
        Map<?, ?> r = ranAndWrote(out, List.of("samples.png", "losses.png"), "wgan-gp", "--steps", "2", "--critic-steps", "2", "--batch", "16",
                "--data", data.toString(), "--out", out.toString());
        Map<?, ?> metrics = (Map<?, ?>) ((Map<?, ?>) r.get("metrics")).get("wgan-gp");
        List<?> penalty = (List<?>) metrics.get("gradient_penalty");
        assertEquals(2, penalty.size());
        for (Object v : penalty) {
            assertTrue(((Number) v).doubleValue() >= 0 && Double.isFinite(((Number) v).doubleValue()), "penalty " + v);
        }
        Object[] bad = run("wgan-gp", "--batch", "1", "--out", out.resolve("bad").toString());
        assertEquals(1, bad[0]);
        assertTrue(((String) bad[1]).contains("--critic-steps must be at least 1 and --batch at least 2, got 5 and 1"), (String) bad[1]);
    }

    @Test
    void inductiveBiasRunsEveryPart(@TempDir Path out) throws IOException {
        Map<?, ?> r = ranAndWrote(out, List.of("q1-train-accuracy.png", "q2-sweep.png", "q2-kernels-cnn.png", "edge-init-kernels.png",
                "q3-loss.png", "q3-accuracy.png", "q4-confusion-cnn.png", "q4-samples.png", "q5-samples.png", "q6-confusion-cnn-avg.png",
                "q7-kernels-cnn-wide-deep.png"), "inductive-bias", "--quick", "--epochs", "1", "--out", out.toString());
        Map<?, ?> metrics = (Map<?, ?>) r.get("metrics");
        for (String key : List.of("q1/cnn", "q2/summary/n50", "edge-init/summary", "q4/summary", "q5/summary", "q6/summary", "q7/summary")) {
            assertTrue(metrics.containsKey(key), "metrics has " + key + ": " + metrics.keySet());
        }
        assertEquals(606L, ((Map<?, ?>) metrics.get("q1/cnn")).get("parameters"));
    }

    /** A PNG w×h image, bright on the left half for class 0 and on the right half for class 1. */
    private static void png(Path file, int label, int w, int h, Random r) throws IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (x < w / 2) == (label == 0) ? 200 + r.nextInt(50) : r.nextInt(40);
                img.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        Files.createDirectories(file.getParent());
        javax.imageio.ImageIO.write(img, "png", file.toFile());
    }

    @Test
    void imageFolderTrainsOnAFolderPerClassOrOnTrainAndValFolders(@TempDir Path dir) throws IOException {
        Random r = new Random(4);
        for (int i = 0; i < 24; i++) {
            png(dir.resolve("one/" + (i % 2 == 0 ? "left" : "right") + "/" + i + ".png"), i % 2, 20 + i % 5, 16 + i % 3, r);
            png(dir.resolve("split/" + (i < 16 ? "train" : "val") + "/" + (i % 2 == 0 ? "left" : "right") + "/" + i + ".png"), i % 2, 18, 18, r);
        }
        Path out = dir.resolve("out1");
        Map<?, ?> results = ranAndWrote(out, List.of("confusion.png", "loss.png", "accuracy.png"), "image-folder", "--quick", "--blocks", "1", "--size", "16",
                "--data", dir.resolve("one").toString(), "--out", out.toString());
        Map<?, ?> config = (Map<?, ?>) results.get("config");
        assertEquals(List.of("left", "right"), config.get("classes"));
        assertEquals(19L, config.get("train_images"));
        Map<?, ?> resnet = (Map<?, ?>) ((Map<?, ?>) results.get("metrics")).get("ResNet-8");
        assertEquals(2, ((List<?>) resnet.get("valid_accuracy")).size());
        // The trained weights, as a torch.save file; --init starts a run from them and refuses a model of another shape.
        Map<String, dev.cortado.tensor.Tensor> weights = dev.cortado.io.TorchSerialization.loadStateDict(out.resolve("model.pt"),
                dev.cortado.tensor.Device.CPU);
        assertArrayEquals(new int[] {2, 64}, weights.get("fc.weight").shape());
        Path again = dir.resolve("again");
        Map<?, ?> resumed = ranAndWrote(again, List.of("model.pt"), "image-folder", "--quick", "--epochs", "1", "--blocks", "1", "--size",
                "16", "--data", dir.resolve("one").toString(), "--init", out.resolve("model.pt").toString(), "--out", again.toString());
        assertEquals(out.resolve("model.pt").toString(), ((Map<?, ?>) resumed.get("config")).get("init"));
        Object[] wrong = run("image-folder", "--quick", "--blocks", "2", "--size", "16", "--data", dir.resolve("one").toString(),
                "--init", out.resolve("model.pt").toString(), "--out", dir.resolve("wrong").toString());
        assertEquals(1, wrong[0]);
        assertTrue(((String) wrong[1]).contains("model.pt") && ((String) wrong[1]).contains("missing keys"), (String) wrong[1]);
        Path out2 = dir.resolve("out2");
        Map<?, ?> split = ranAndWrote(out2, List.of("confusion.png"), "image-folder", "--quick", "--blocks", "1", "--size", "16", "--data",
                dir.resolve("split").toString(), "--augment", "trivial", "--out", out2.toString());
        assertEquals(8L, ((Map<?, ?>) split.get("config")).get("valid_images"));
        assertEquals("trivial", ((Map<?, ?>) split.get("config")).get("augment"));
        Object[] policy = run("image-folder", "--augment", "cutmix", "--data", dir.resolve("split").toString(), "--out", dir.resolve("o5").toString());
        assertEquals(1, policy[0]);
        assertTrue(((String) policy[1]).contains("--augment must be flip, trivial, rand,") && ((String) policy[1]).contains("\"cutmix\""),
                (String) policy[1]);
        Files.createDirectories(dir.resolve("lonely/train/only"));
        Object[] bad = run("image-folder", "--data", dir.resolve("lonely").toString(), "--out", dir.resolve("out3").toString());
        assertEquals(1, bad[0]);
        assertTrue(((String) bad[1]).contains("has a train folder but no val, valid or test folder beside it"), (String) bad[1]);
        png(dir.resolve("single/only/a.png"), 0, 8, 8, r);
        png(dir.resolve("single/only/b.png"), 0, 8, 8, r);
        bad = run("image-folder", "--data", dir.resolve("single").toString(), "--out", dir.resolve("out4").toString());
        assertEquals(1, bad[0]);
        assertTrue(((String) bad[1]).contains("found only the class [only]"), (String) bad[1]);
    }

    /** Fine-tuning a torchvision model: its weights (written here; the real ones are downloads), a new last layer, the rest frozen. */
    @Test
    void imageFolderFineTunesAPretrainedModel(@TempDir Path dir) throws IOException {
        Random r = new Random(5);
        for (int i = 0; i < 12; i++) {
            png(dir.resolve("data/" + (i % 2 == 0 ? "left" : "right") + "/" + i + ".png"), i % 2, 24, 20, r);
        }
        dev.cortado.models.MobileNetV3 original = dev.cortado.models.MobileNetV3.mobilenet_v3_small();
        dev.cortado.nn.Checkpoints.save(original, dir.resolve("small.pt"));
        Path out = dir.resolve("out");
        Map<?, ?> results = ranAndWrote(out, List.of("confusion.png"), "image-folder", "--pretrained", "mobilenet_v3_small", "--init",
                dir.resolve("small.pt").toString(), "--freeze", "--epochs", "1", "--size", "32", "--batch", "4", "--data",
                dir.resolve("data").toString(), "--out", out.toString());
        Map<?, ?> config = (Map<?, ?>) results.get("config");
        assertEquals(true, config.get("freeze"));
        assertEquals("mobilenet_v3_small, frozen, fine-tuned", config.get("model"));
        Map<String, dev.cortado.tensor.Tensor> tuned = dev.cortado.io.TorchSerialization.loadStateDict(out.resolve("model.pt"),
                dev.cortado.tensor.Device.CPU);
        assertArrayEquals(new int[] {2, 1024}, tuned.get("classifier.3.weight").shape());
        assertEquals(0, tuned.get("features.0.0.weight").sub(original.stateDict().get("features.0.0.weight")).abs().max().item(), 0,
                "a frozen layer keeps its weights");
        Object[] r2 = run("image-folder", "--freeze", "--data", dir.resolve("data").toString(), "--out", dir.resolve("o2").toString());
        assertTrue(((String) r2[1]).contains("--freeze needs --pretrained MODEL"), (String) r2[1]);
        r2 = run("image-folder", "--pretrained", "lenet", "--data", dir.resolve("data").toString(), "--out", dir.resolve("o3").toString());
        assertTrue(((String) r2[1]).contains("no pretrained weights for \"lenet\""), (String) r2[1]);
    }

    /** A pretrained model's top classes, here with weights that a test wrote (the real ones are downloads). */
    @Test
    void classifyPrintsTheTopClassesOfEachImage(@TempDir Path dir) throws IOException {
        Path weights = dir.resolve("small.pt");
        dev.cortado.nn.Checkpoints.save(dev.cortado.models.MobileNetV3.mobilenet_v3_small(), weights);
        png(dir.resolve("a.png"), 0, 40, 30, new Random(1));
        png(dir.resolve("b.png"), 1, 40, 30, new Random(2));
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        Object[] r;
        try {
            r = run("classify", "--model", "mobilenet_v3_small", "--weights", weights.toString(), "--top", "3", "--cam", dir.resolve("cam").toString(),
                    dir.resolve("a.png").toString(), dir.resolve("b.png").toString());
        } finally {
            System.setOut(out);
        }
        assertEquals(0, r[0], "stderr:\n" + r[1]);
        String text = captured.toString();
        assertTrue(text.contains("a.png:") && text.contains("b.png:"), text);
        assertEquals(6, text.lines().filter(l -> l.matches(" +\\d+\\.\\d\\d%  .+")).count(), text);
        assertTrue(Files.size(dir.resolve("cam/a-cam.png")) > 0 && Files.size(dir.resolve("cam/b-cam.png")) > 0, text);
        r = run("classify", "--top", "0", dir.resolve("a.png").toString());
        assertTrue(((String) r[1]).contains("--top must be between 1 and 1000, got 0"), (String) r[1]);
        r = run("classify", "--model", "lenet", dir.resolve("a.png").toString());
        assertTrue(((String) r[1]).contains("no pretrained weights for \"lenet\""), (String) r[1]);
        r = run("classify", dir.resolve("none.png").toString());
        assertTrue(((String) r[1]).contains("no image file"), (String) r[1]);
        r = run("classify", "--model", "mobilenet_v3_small", "--weights-name", "IMAGENET1K_V3", dir.resolve("a.png").toString());
        assertTrue(((String) r[1]).contains("mobilenet_v3_small has no weights named IMAGENET1K_V3; it has [IMAGENET1K_V1]"), (String) r[1]);
        assertEquals(dev.cortado.models.Weights.VIT_B_16_IMAGENET1K_SWAG_E2E_V1, Classify.named("vit_b_16", "IMAGENET1K_SWAG_E2E_V1"));
        assertEquals(dev.cortado.models.Weights.VIT_B_16_IMAGENET1K_V1, Classify.named("vit_b_16", "VIT_B_16_IMAGENET1K_V1"));
    }

    @Test
    void badOptionsAndMissingDataSayWhatIsWrong(@TempDir Path empty) {
        Object[] r = run("mlp-vs-cnn", "--dataset", "svhn", "--out", empty.resolve("a").toString());
        assertEquals(1, r[0]);
        assertTrue(((String) r[1]).contains("--dataset must be mnist or cifar10, got 'svhn'"), (String) r[1]);
        r = run("resnet", "--depth", "21", "--out", empty.resolve("b").toString());
        assertEquals(1, r[0]);
        assertTrue(((String) r[1]).contains("--depth must be 20, 32, 44, 56 or 110"), (String) r[1]);
        r = run("fashion", "--data", empty.toString(), "--out", empty.resolve("c").toString());
        assertEquals(1, r[0]);
        assertTrue(((String) r[1]).contains("train-images-idx3-ubyte[.gz] not found in"), (String) r[1]);
        r = run("fashion", "--seeds", "0", "--out", empty.resolve("f").toString());
        assertEquals(1, r[0]);
        assertTrue(((String) r[1]).contains("--seeds must be at least 1, got 0"), (String) r[1]);
        r = run("mlp-vs-cnn", "--dataset", "cifar10", "--data", empty.toString(), "--out", empty.resolve("d").toString());
        assertEquals(1, r[0]);
        assertTrue(((String) r[1]).contains("data_batch_1.bin"), (String) r[1]);
        r = run("resnet", "--dataset", "cifar100", "--data", empty.toString(), "--out", empty.resolve("g").toString());
        assertEquals(1, r[0]);
        assertTrue(((String) r[1]).contains("resnet: CIFAR-100 is not available (CIFAR-100: train not found in"), (String) r[1]);
        r = run("inductive-bias", "--only", "q9", "--out", empty.resolve("e").toString());
        assertEquals(1, r[0]);
        assertTrue(((String) r[1]).contains("unknown part 'q9'"), (String) r[1]);
        r = run("inductive-bias", "--no-such-option");
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("Unknown option: '--no-such-option'"), (String) r[1]);
        assertEquals(0, run("help", "resnet")[0]);
    }
}
