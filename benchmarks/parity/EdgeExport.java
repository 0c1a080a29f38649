import dev.cortado.data.EdgeClass;
import dev.cortado.data.EdgeConfig;
import dev.cortado.data.PixelPermutation;
import dev.cortado.data.TensorDataset;
import dev.cortado.examples.edges.EdgeData;
import dev.cortado.io.SafeTensors;
import dev.cortado.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes one of the inductive-bias study's edge sets, generated and normalised exactly as
 * `./cortado inductive-bias` does, to a safetensors file for benchmarks/parity/edge_torch.py. That
 * trains the same models in PyTorch on the same images, which tells a difference of the data
 * generator from a difference of the library. Runs as a single source file:
 * {@code java --add-modules jdk.incubator.vector -cp "examples/target/classes:examples/target/lib/*"
 * benchmarks/parity/EdgeExport.java PER_CLASS SEED PERMUTATION_SEED|none OUT.safetensors [five]}
 * (Q5 of `inductive-bias --seed S` uses permutation seed S + 1000; {@code five} gives Q6 and Q7's
 * five classes instead of horizontal, vertical and none).
 */
public class EdgeExport {
    public static void main(String[] a) throws Exception {
        int perClass = Integer.parseInt(a[0]);
        long seed = Long.parseLong(a[1]);
        EdgeConfig config = a.length > 4 && a[4].equals("five") ? EdgeConfig.DEFAULT.classTypes(EdgeClass.values()) : EdgeConfig.DEFAULT;
        if (!a[2].equals("none")) {
            config = config.permutation(PixelPermutation.random(28 * 28, Long.parseLong(a[2])));
        }
        EdgeData d = EdgeData.make(config, perClass, 50, seed);
        Tensor x = d.trainImages().sub(d.mean()).div(d.std());
        Tensor vx = d.validImages().sub(d.mean()).div(d.std());
        SafeTensors.write(Path.of(a[3]), Map.of("x", x, "y", labels(d.train()), "valid_x", vx, "valid_y", labels(d.valid())),
                Map.of("per_class", a[0], "seed", a[1], "permutation_seed", a[2]));
        System.out.println("wrote " + a[3] + ": train " + Arrays.toString(x.shape()) + ", valid " + Arrays.toString(vx.shape()));
    }

    private static Tensor labels(TensorDataset set) {
        long[] y = new long[set.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = set.get(i).label();
        }
        return Tensor.fromArray(y, y.length);
    }
}
