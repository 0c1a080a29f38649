package dev.cortado.data;

import dev.cortado.tensor.Generator;
import dev.cortado.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Mini-batches of a data set, like {@code torch.utils.data.DataLoader}: each {@link #iterator()}
 * is one epoch. Order comes from a sampler (sequential, shuffled, or given) drawing from the
 * loader's generator, seeded once, so a seed fixes every epoch: shuffled, the epochs come in the
 * order PyTorch's {@code DataLoader(data, shuffle=True, generator=torch.Generator().manual_seed(seed))}
 * gives them, and a given sampler draws as PyTorch's does from that loader's generator when it
 * is the sampler's too. Random transforms draw from the seed, the epoch and the sample's index; with
 * workers, batches are loaded ahead on background threads and come out identical to
 * single-threaded loading.
 *
 * <pre>{@code
 * var loader = new DataLoader(train, DataLoader.Options.batch(128).shuffle(true).workers(2).seed(0));
 * for (int epoch = 0; epoch < 5; epoch++) {
 *     for (Batch b : loader) { ... b.inputs() ... b.labels() ... }
 * }
 * }</pre>
 */
public final class DataLoader implements Iterable<Batch> {
    /**
     * @param sampler null for sequential order, or random order when {@code shuffle}
     * @param workers background loading threads; 0 loads on the caller's thread
     */
    public record Options(int batchSize, boolean shuffle, boolean dropLast, Sampler sampler, int workers, long seed) {
        public static Options batch(int batchSize) {
            return new Options(batchSize, false, false, null, 0, 0);
        }

        public Options shuffle(boolean on) {
            return new Options(batchSize, on, dropLast, sampler, workers, seed);
        }

        public Options dropLast(boolean on) {
            return new Options(batchSize, shuffle, on, sampler, workers, seed);
        }

        public Options sampler(Sampler s) {
            return new Options(batchSize, shuffle, dropLast, s, workers, seed);
        }

        public Options workers(int n) {
            return new Options(batchSize, shuffle, dropLast, sampler, n, seed);
        }

        public Options seed(long s) {
            return new Options(batchSize, shuffle, dropLast, sampler, workers, s);
        }
    }

    private final Dataset<Example> dataset;
    private final Options options;
    private final Sampler sampler;
    /** The loader's generator, PyTorch's {@code generator=}: each epoch continues its stream. */
    private final Generator generator;
    private int epoch;

    public DataLoader(Dataset<Example> dataset, Options options) {
        if (options.batchSize() <= 0) {
            throw new IllegalArgumentException("DataLoader: batch size must be positive, got " + options.batchSize());
        }
        if (options.workers() < 0) {
            throw new IllegalArgumentException("DataLoader: workers must be 0 or more, got " + options.workers());
        }
        if (options.sampler() != null && options.shuffle()) {
            throw new IllegalArgumentException("DataLoader: sampler option is mutually exclusive with shuffle");
        }
        this.dataset = dataset;
        this.options = options;
        this.generator = new Generator(options.seed());
        this.sampler = options.sampler() != null ? options.sampler()
                : options.shuffle() ? Sampler.random(dataset.size()) : Sampler.sequential(dataset.size());
    }

    /** Batches per epoch, known before iterating (for progress bars and schedulers). */
    public int length() {
        int n = sampler.length();
        int b = options.batchSize();
        return options.dropLast() ? n / b : (n + b - 1) / b;
    }

    /** Samples per epoch. */
    public int samples() {
        return options.dropLast() ? length() * options.batchSize() : sampler.length();
    }

    public Dataset<Example> dataset() {
        return dataset;
    }

    @Override
    public Iterator<Batch> iterator() {
        long e = epoch++;
        // PyTorch's epoch iterator first draws a base seed (for its workers) from the loader's generator.
        generator.nextLong();
        int[] order = sampler.indices(generator);
        int batches = length();
        List<int[]> plan = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            int from = b * options.batchSize();
            plan.add(java.util.Arrays.copyOfRange(order, from, Math.min(order.length, from + options.batchSize())));
        }
        return options.workers() == 0 ? new Serial(plan, e) : new Prefetching(plan, e, options.workers());
    }

    private Batch load(int[] indices, long e) {
        List<Tensor> inputs = new ArrayList<>(indices.length);
        long[] labels = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            Example x = SampleRandom.with(options.seed(), e, indices[i], dataset::get);
            inputs.add(x.input());
            labels[i] = x.label();
        }
        Tensor stacked = Tensor.stack(inputs, 0);
        return new Batch(stacked, Tensor.fromArray(labels, new int[] {labels.length}, stacked.device()));
    }

    private final class Serial implements Iterator<Batch> {
        private final List<int[]> plan;
        private final long e;
        private int next;

        Serial(List<int[]> plan, long e) {
            this.plan = plan;
            this.e = e;
        }

        @Override
        public boolean hasNext() {
            return next < plan.size();
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return load(plan.get(next++), e);
        }
    }

    /** Keeps up to two batches per worker in flight, handing them out in order. */
    private final class Prefetching implements Iterator<Batch> {
        private final List<int[]> plan;
        private final long e;
        private final ExecutorService pool;
        private final ArrayDeque<Future<Batch>> ahead = new ArrayDeque<>();
        private final int depth;
        private int submitted;

        Prefetching(List<int[]> plan, long e, int workers) {
            this.plan = plan;
            this.e = e;
            this.depth = 2 * workers;
            // Idle threads time out, so an epoch abandoned midway leaves nothing running behind.
            var executor = new java.util.concurrent.ThreadPoolExecutor(workers, workers, 1, java.util.concurrent.TimeUnit.SECONDS,
                    new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "cortado-loader");
                        t.setDaemon(true);
                        return t;
                    });
            executor.allowCoreThreadTimeOut(true);
            this.pool = executor;
            fill();
        }

        private void fill() {
            while (ahead.size() < depth && submitted < plan.size()) {
                int[] indices = plan.get(submitted++);
                ahead.add(pool.submit(() -> load(indices, e)));
            }
            if (submitted == plan.size()) {
                pool.shutdown();
            }
        }

        @Override
        public boolean hasNext() {
            return !ahead.isEmpty();
        }

        @Override
        public Batch next() {
            Future<Batch> f = ahead.poll();
            if (f == null) {
                throw new NoSuchElementException();
            }
            try {
                Batch b = f.get();
                fill();
                return b;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                pool.shutdownNow();
                throw new IllegalStateException("DataLoader: interrupted while waiting for a batch", ex);
            } catch (ExecutionException ex) {
                pool.shutdownNow();
                Throwable cause = ex.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("DataLoader: a worker failed: " + cause, cause);
            }
        }
    }
}
