package dev.cortado.data;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Generator;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Data sets, splits, samplers, the loader with and without workers, and the transforms. */
class LoadingTest {
    @BeforeAll
    static void cpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    private static TensorDataset numbers(int n) {
        return new TensorDataset(Tensor.arange(n).to(dev.cortado.tensor.DType.FLOAT32).reshape(n, 1), Tensor.arange(n));
    }

    @Test
    void subsetsConcatenationAndSplits() {
        TensorDataset d = numbers(10);
        assertEquals(7, new Subset<>(d, new int[] {7, 2}).get(0).label());
        ConcatDataset<Example> c = new ConcatDataset<>(List.of(d, numbers(0), numbers(3)));
        assertEquals(13, c.size());
        assertEquals(2, c.get(12).label());
        assertEquals(9, c.get(9).label());
        List<Subset<Example>> parts = Splits.randomSplit(d, new int[] {7, 3}, new Generator(5));
        List<Subset<Example>> again = Splits.randomSplit(d, new int[] {7, 3}, new Generator(5));
        assertArrayEquals(parts.get(0).indices(), again.get(0).indices(), "same seed, same split");
        // PyTorch 1.13: random_split(range(10), [7, 3], generator=torch.Generator().manual_seed(5)).
        assertArrayEquals(new int[] {1, 4, 9, 6, 3, 5, 0}, parts.get(0).indices());
        assertArrayEquals(new int[] {2, 8, 7}, parts.get(1).indices());
        Set<Integer> all = new HashSet<>();
        parts.forEach(p -> Arrays.stream(p.indices()).forEach(all::add));
        assertEquals(10, all.size(), "a partition");
        assertFalse(Arrays.equals(parts.get(0).indices(), Splits.randomSplit(d, new int[] {7, 3}, new Generator(6)).get(0).indices()));
        assertThrows(IllegalArgumentException.class, () -> Splits.randomSplit(d, new int[] {7, 4}, new Generator(5)));
        assertThrows(IndexOutOfBoundsException.class, () -> d.get(10));
        assertThrows(IndexOutOfBoundsException.class, () -> new Subset<>(d, new int[] {11}));
        assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Tensor.zeros(3, 2), Tensor.arange(4)));
    }

    private static List<long[]> epoch(DataLoader loader) {
        List<long[]> out = new ArrayList<>();
        for (Batch b : loader) {
            out.add(b.labels().toLongArray());
            assertArrayEquals(b.labels().to(dev.cortado.tensor.DType.FLOAT32).toFloatArray(), b.inputs().reshape(-1).toFloatArray());
        }
        return out;
    }

    @Test
    void batchingShufflingAndDropLast() {
        DataLoader seq = new DataLoader(numbers(10), DataLoader.Options.batch(4));
        assertEquals(3, seq.length());
        List<long[]> e = epoch(seq);
        assertArrayEquals(new long[] {8, 9}, e.get(2));
        DataLoader drop = new DataLoader(numbers(10), DataLoader.Options.batch(4).dropLast(true));
        assertEquals(2, drop.length());
        assertEquals(2, epoch(drop).size());
        DataLoader shuffled = new DataLoader(numbers(100), DataLoader.Options.batch(10).shuffle(true).seed(3));
        List<long[]> first = epoch(shuffled);
        List<long[]> second = epoch(shuffled);
        assertFalse(Arrays.equals(first.get(0), second.get(0)), "a new order each epoch");
        DataLoader replay = new DataLoader(numbers(100), DataLoader.Options.batch(10).shuffle(true).seed(3));
        assertArrayEquals(first.get(0), epoch(replay).get(0), "same seed, same first epoch");
        long[] flat = first.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        assertEquals(100, Arrays.stream(flat).distinct().count());
    }

    @Test
    void shuffledEpochsComeInPyTorchsOrder() {
        // PyTorch 1.13: DataLoader(list(range(10)), batch_size=3, shuffle=True, generator=torch.Generator().manual_seed(5)), three epochs.
        DataLoader loader = new DataLoader(numbers(10), DataLoader.Options.batch(3).shuffle(true).seed(5));
        long[][] pytorch = {{7, 4, 8, 1, 2, 3, 6, 5, 9, 0}, {2, 1, 6, 3, 5, 9, 4, 7, 8, 0}, {4, 3, 2, 7, 9, 1, 6, 8, 5, 0}};
        for (long[] expected : pytorch) {
            assertArrayEquals(expected, epoch(loader).stream().flatMapToLong(Arrays::stream).toArray());
        }
    }

    @Test
    void subsetRandomSamplerVisitsOnlyItsIndices() {
        int[] train = new int[49];
        for (int i = 0; i < train.length; i++) {
            train[i] = 2 * i;
        }
        DataLoader loader = new DataLoader(numbers(100), DataLoader.Options.batch(8).sampler(Sampler.subsetRandom(train)).seed(1));
        assertEquals(7, loader.length());
        long[] seen = epoch(loader).stream().flatMapToLong(Arrays::stream).sorted().toArray();
        assertArrayEquals(Arrays.stream(train).asLongStream().toArray(), seen);
        assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(numbers(4), DataLoader.Options.batch(2).shuffle(true).sampler(Sampler.sequential(4))));
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(numbers(4), DataLoader.Options.batch(0)));
    }

    @Test
    void workersGiveTheSameBatchesAsSerialLoading() {
        // Random augmentation included: each sample's randomness depends on (seed, epoch, index) only.
        Transform<Tensor, Tensor> noise = x -> x.add(SampleRandom.current().nextDouble());
        Dataset<Example> d = new Dataset<>() {
            final TensorDataset base = numbers(257);

            @Override
            public int size() {
                return base.size();
            }

            @Override
            public Example get(int i) {
                Example e = base.get(i);
                return new Example(noise.apply(e.input()), e.label());
            }
        };
        DataLoader serial = new DataLoader(d, DataLoader.Options.batch(16).shuffle(true).seed(9));
        DataLoader parallel = new DataLoader(d, DataLoader.Options.batch(16).shuffle(true).seed(9).workers(3));
        for (int epoch = 0; epoch < 2; epoch++) {
            var a = serial.iterator();
            var b = parallel.iterator();
            while (a.hasNext()) {
                Batch x = a.next();
                Batch y = b.next();
                assertArrayEquals(x.labels().toLongArray(), y.labels().toLongArray());
                assertArrayEquals(x.inputs().toFloatArray(), y.inputs().toFloatArray());
            }
            assertFalse(b.hasNext());
        }
    }

    @Test
    void transforms() {
        Image img = new Image(new byte[] {0, (byte) 255, 10, 20, 30, 40}, 1, 2, 3);
        Tensor t = Transforms.toTensor().apply(img);
        assertArrayEquals(new int[] {3, 1, 2}, t.shape());
        assertArrayEquals(new float[] {0, 20 / 255f, (byte) 255 & 0xFF, 30 / 255f, 10 / 255f, 40 / 255f},
                new float[] {t.toFloatArray()[0], t.toFloatArray()[1], t.toFloatArray()[2] * 255, t.toFloatArray()[3],
                    t.toFloatArray()[4], t.toFloatArray()[5]}, 1e-6f);
        Tensor n = Transforms.normalize(0.5, 0.5).apply(Tensor.full(new int[] {1, 2, 2}, 1.0));
        assertArrayEquals(new float[] {1, 1, 1, 1}, n.toFloatArray());
        Tensor per = Transforms.normalize(new double[] {0, 1}, new double[] {1, 2}).apply(Tensor.ones(2, 1, 1));
        assertArrayEquals(new float[] {1, 0}, per.toFloatArray());
        assertArrayEquals(new int[] {1, 6, 6}, Transforms.pad(2).apply(Tensor.ones(1, 2, 2)).shape());
        Tensor img4 = Tensor.arange(16).to(dev.cortado.tensor.DType.FLOAT32).reshape(1, 4, 4);
        Cortado.manualSeed(1);
        Set<String> crops = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            Tensor c = Transforms.randomCrop(4, 1).apply(img4);
            assertArrayEquals(new int[] {1, 4, 4}, c.shape());
            assertEquals(c.sum().item() == 0 ? 0 : 1, 1, "a crop keeps some of the image");
            crops.add(Arrays.toString(c.toFloatArray()));
        }
        assertEquals(9, crops.size(), "all 3×3 offsets of a 1-pixel padded 4×4 image occur");
        Tensor flipped = Transforms.randomHorizontalFlip(1).apply(img4);
        assertEquals(3, flipped.toFloatArray()[0]);
        assertArrayEquals(img4.toFloatArray(), Transforms.randomHorizontalFlip(0).apply(img4).toFloatArray());
        assertArrayEquals(new int[] {16}, Transforms.flatten().apply(img4).shape());
        Transform<Image, Tensor> chain = Transforms.toTensor().andThen(Transforms.normalize(0, 1)).andThen(Transforms.lambda(x -> x.mul(2)));
        assertEquals(2f, chain.apply(new Image(new byte[] {(byte) 255}, 1, 1, 1)).toFloatArray()[0], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> Transforms.normalize(new double[] {0}, new double[] {0}));
        assertThrows(IllegalArgumentException.class, () -> Transforms.normalize(new double[] {0, 1, 2}, new double[] {1, 1, 1})
                .apply(Tensor.ones(2, 2, 2)));
        assertThrows(IllegalArgumentException.class, () -> Transforms.randomCrop(9, 1).apply(img4));
        assertThrows(IllegalArgumentException.class, () -> new Image(new byte[3], 2, 2, 1));
    }
}
