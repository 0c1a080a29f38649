package dev.cortado.examples;

import dev.cortado.autograd.GradMode;
import dev.cortado.autograd.Gradients;
import dev.cortado.data.Batch;
import dev.cortado.data.DataLoader;
import dev.cortado.data.Dataset;
import dev.cortado.data.Example;
import dev.cortado.data.Mnist;
import dev.cortado.data.Subset;
import dev.cortado.data.Transforms;
import dev.cortado.data.VisionUtils;
import dev.cortado.examples.cli.CommonOptions;
import dev.cortado.examples.cli.DataSets;
import dev.cortado.examples.report.Plots;
import dev.cortado.examples.report.Report;
import dev.cortado.examples.report.Results;
import dev.cortado.nn.BatchNorm2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.ConvTranspose2d;
import dev.cortado.nn.Flatten;
import dev.cortado.nn.LeakyReLU;
import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.nn.ReLU;
import dev.cortado.nn.Sequential;
import dev.cortado.nn.Tanh;
import dev.cortado.nn.Unflatten;
import dev.cortado.optim.Adam;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.MemoryScope;
import dev.cortado.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * A Wasserstein GAN with gradient penalty (Gulrajani et al., 2017) on MNIST: a DCGAN-style
 * generator (linear, then two transposed convolutions) against a convolutional critic without
 * batch norm. Each critic step adds λ (‖∇ D(x̂)‖ − 1)² at points x̂ between real and generated
 * images, whose gradient with respect to the critic's weights is a second derivative
 * ({@code createGraph}). The paper's settings: five critic steps per generator step, λ = 10, Adam
 * with lr 1e-4 and betas (0, 0.9).
 */
@Command(name = "wgan-gp", mixinStandardHelpOptions = true, sortOptions = false,
        description = "A WGAN-GP on MNIST: gradient penalty through second derivatives; writes generated digits.")
final class WganGp implements Callable<Integer> {
    private static final int LATENT = 64;
    private static final double LAMBDA = 10;

    @Mixin
    CommonOptions common;

    @Option(names = "--critic-steps", defaultValue = "5", description = "Critic steps per generator step (default: ${DEFAULT-VALUE})")
    int criticSteps;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Override
    public Integer call() throws IOException {
        if (criticSteps < 1 || batch < 2) {
            throw new IllegalArgumentException("--critic-steps must be at least 1 and --batch at least 2, got " + criticSteps + " and " + batch);
        }
        common.start("wgan-gp");
        Device device = common.device();
        // Pixels in [-1, 1], the generator's tanh range.
        Dataset<Example> train = DataSets.mnist(common, Mnist.Kind.MNIST, true, Transforms.toTensor().andThen(Transforms.normalize(0.5, 0.5)));
        if (common.quick) {
            train = new Subset<>(train, DataSets.randomSubset(train.size(), 6400, common.seed));
        }
        long steps = common.steps != null ? common.steps : common.quick ? 60 : 4000;
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
        }
        DataLoader loader = new DataLoader(train, DataLoader.Options.batch(batch).shuffle(true).dropLast(true).workers(1).seed(common.seed));
        if (loader.length() == 0) {
            throw new IllegalArgumentException("wgan-gp: " + train.size() + " training images make no batch of " + batch);
        }
        Cortado.manualSeed(common.seed);
        Module generator = generator().to(device);
        Module critic = critic().to(device);
        Adam optG = new Adam(generator.parameters(), 1e-4, 0.0, 0.9, 1e-8, 0, false);
        Adam optD = new Adam(critic.parameters(), 1e-4, 0.0, 0.9, 1e-8, 0, false);
        Tensor fixedNoise = Tensor.randn(64, LATENT).to(device);

        Results results = new Results("wgan-gp").config("steps", steps).config("critic_steps", criticSteps).config("batch_size", batch)
                .config("lambda", LAMBDA).config("optimizer", "Adam lr 1e-4 betas (0, 0.9)").config("train_images", train.size())
                .config("seed", common.seed).config("quick", common.quick).config("threads", common.threadsUsed())
                .config("device", device.toString());
        double[] wasserstein = new double[(int) steps];
        double[] penalty = new double[(int) steps];
        Iterator<Batch> batches = loader.iterator();
        long start = System.nanoTime();
        for (int step = 0; step < steps; step++) {
            double w = 0;
            double gp = 0;
            for (int c = 0; c < criticSteps; c++) {
                if (!batches.hasNext()) {
                    batches = loader.iterator();
                }
                Batch b = batches.next();
                try (var scope = MemoryScope.open()) {
                    Tensor real = b.inputs().to(device);
                    Tensor fake;
                    try (var off = GradMode.off()) {
                        fake = generator.call(Tensor.randn(real.size(0), LATENT).to(device));
                    }
                    Tensor[] terms = criticLoss(critic, real, fake);
                    optD.zeroGrad();
                    terms[0].backward();
                    optD.step();
                    w += terms[1].item() / criticSteps;
                    gp += terms[2].item() / criticSteps;
                }
            }
            try (var scope = MemoryScope.open()) {
                Tensor lossG = critic.call(generator.call(Tensor.randn(batch, LATENT).to(device))).mean().neg();
                optG.zeroGrad();
                lossG.backward();
                optG.step();
            }
            wasserstein[step] = w;
            penalty[step] = gp;
            if (step == 0 || (step + 1) % Math.max(1, steps / 10) == 0 || step == steps - 1) {
                System.out.printf(Locale.ROOT, "step %5d/%d  Wasserstein estimate %8.4f  gradient penalty %7.4f  (%.1f s)%n", step + 1, steps, w, gp,
                        (System.nanoTime() - start) / 1e9);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        var out = common.out();
        Tensor samples;
        try (var off = GradMode.off()) {
            generator.eval();
            // Back from [-1, 1] to [0, 1] for the picture.
            samples = generator.call(fixedNoise).add(1).mul(0.5).clamp(0, 1).to(Device.CPU);
        }
        VisionUtils.saveImage(samples, out.resolve("samples.png"), 8, 2, false);
        double[] x = new double[(int) steps];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        Plots.lines(out.resolve("losses.png"), "Critic: Wasserstein estimate and gradient penalty per generator step", "generator step", "value",
                List.of(new Plots.Series("E[D(real)] - E[D(fake)]", x, wasserstein), new Plots.Series("gradient penalty", x, penalty)));
        results.metrics("wgan-gp").put("wasserstein_estimate", wasserstein);
        results.metrics("wgan-gp").put("gradient_penalty", penalty);
        results.timing("train", seconds);
        results.write(out);
        common.saveModel("generator", generator);
        common.saveModel("critic", critic);
        Report report = new Report("WGAN-GP on MNIST").text(String.format(Locale.ROOT,
                "%d generator steps of %d critic steps each, batch %d, %d training images; λ = %.0f; Adam lr 1e-4, betas (0, 0.9); %.1f s."
                        + " The Wasserstein estimate E[D(real)] − E[D(fake)] falls as the generated digits improve.",
                steps, criticSteps, batch, train.size(), LAMBDA, seconds))
                .image("64 digits from fixed noise", "samples.png").image("critic losses", "losses.png");
        String written = report.write(out);
        System.out.println("\nresults.json, " + written + " in " + out);
        return 0;
    }

    /**
     * The critic's loss E[D(fake)] − E[D(real)] + λ E[(‖∇ D(x̂)‖ − 1)²], with x̂ a random point on
     * the segment from each real image to a generated one; also the Wasserstein estimate
     * E[D(real)] − E[D(fake)] and the penalty alone, without graphs.
     */
    static Tensor[] criticLoss(Module critic, Tensor real, Tensor fake) {
        Tensor eps = Tensor.rand(real.size(0), 1, 1, 1).to(real.device());
        Tensor between = eps.mul(real).add(eps.rsub(1).mul(fake)).requiresGrad_(true);
        Tensor slope = Gradients.grad(List.of(critic.call(between).sum()), List.of(between), null, true, true, false)[0];
        Tensor penalty = slope.flatten(1).norm(2, new int[] {1}, false).sub(1).square().mean();
        Tensor estimate = critic.call(real).mean().sub(critic.call(fake).mean());
        Tensor loss = estimate.neg().add(penalty.mul(LAMBDA));
        return new Tensor[] {loss, estimate.detach(), penalty.detach()};
    }

    /** z (64) → 128 × 7 × 7 → 64 × 14 × 14 → 1 × 28 × 28 in [-1, 1]. */
    static Module generator() {
        ConvOptions up = ConvOptions.DEFAULT.stride(2).padding(1);
        return new Sequential(new Linear(LATENT, 128 * 7 * 7), new ReLU(), new Unflatten(1, 128, 7, 7),
                new ConvTranspose2d(128, 64, 4, up, 0), new BatchNorm2d(64), new ReLU(),
                new ConvTranspose2d(64, 1, 4, up, 0), new Tanh());
    }

    /** 1 × 28 × 28 → 64 × 14 × 14 → 128 × 7 × 7 → one score; no batch norm, which would couple the penalty's samples. */
    static Module critic() {
        ConvOptions down = ConvOptions.DEFAULT.stride(2).padding(1);
        return new Sequential(new Conv2d(1, 64, 4, down), new LeakyReLU(0.2), new Conv2d(64, 128, 4, down), new LeakyReLU(0.2),
                new Flatten(), new Linear(128 * 7 * 7, 1));
    }
}
