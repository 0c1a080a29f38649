package dev.cortado.models;

import dev.cortado.nn.Module;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * torchvision's model registry: {@code list_models()}, {@code get_model(name)} and
 * {@code get_model(name, weights=...)}, by torchvision's builder names.
 */
public final class Models {
    private static final Map<String, Supplier<Module>> BUILDERS = new LinkedHashMap<>();

    static {
        BUILDERS.put("alexnet", AlexNet::new);
        BUILDERS.put("convnext_base", ConvNeXt::convnext_base);
        BUILDERS.put("convnext_large", ConvNeXt::convnext_large);
        BUILDERS.put("convnext_small", ConvNeXt::convnext_small);
        BUILDERS.put("convnext_tiny", ConvNeXt::convnext_tiny);
        BUILDERS.put("densenet121", DenseNet::densenet121);
        BUILDERS.put("densenet161", DenseNet::densenet161);
        BUILDERS.put("densenet169", DenseNet::densenet169);
        BUILDERS.put("densenet201", DenseNet::densenet201);
        BUILDERS.put("efficientnet_b0", EfficientNet::efficientnet_b0);
        BUILDERS.put("efficientnet_b1", EfficientNet::efficientnet_b1);
        BUILDERS.put("efficientnet_b2", EfficientNet::efficientnet_b2);
        BUILDERS.put("efficientnet_b3", EfficientNet::efficientnet_b3);
        BUILDERS.put("efficientnet_b4", EfficientNet::efficientnet_b4);
        BUILDERS.put("efficientnet_b5", EfficientNet::efficientnet_b5);
        BUILDERS.put("efficientnet_b6", EfficientNet::efficientnet_b6);
        BUILDERS.put("efficientnet_b7", EfficientNet::efficientnet_b7);
        BUILDERS.put("efficientnet_v2_l", EfficientNet::efficientnet_v2_l);
        BUILDERS.put("efficientnet_v2_m", EfficientNet::efficientnet_v2_m);
        BUILDERS.put("efficientnet_v2_s", EfficientNet::efficientnet_v2_s);
        BUILDERS.put("googlenet", GoogLeNet::googlenet);
        BUILDERS.put("inception_v3", Inception3::inception_v3);
        BUILDERS.put("mnasnet0_5", MNASNet::mnasnet0_5);
        BUILDERS.put("mnasnet0_75", MNASNet::mnasnet0_75);
        BUILDERS.put("mnasnet1_0", MNASNet::mnasnet1_0);
        BUILDERS.put("mnasnet1_3", MNASNet::mnasnet1_3);
        BUILDERS.put("mobilenet_v2", MobileNetV2::new);
        BUILDERS.put("mobilenet_v3_large", MobileNetV3::mobilenet_v3_large);
        BUILDERS.put("mobilenet_v3_small", MobileNetV3::mobilenet_v3_small);
        BUILDERS.put("regnet_x_16gf", RegNet::regnet_x_16gf);
        BUILDERS.put("regnet_x_1_6gf", RegNet::regnet_x_1_6gf);
        BUILDERS.put("regnet_x_32gf", RegNet::regnet_x_32gf);
        BUILDERS.put("regnet_x_3_2gf", RegNet::regnet_x_3_2gf);
        BUILDERS.put("regnet_x_400mf", RegNet::regnet_x_400mf);
        BUILDERS.put("regnet_x_800mf", RegNet::regnet_x_800mf);
        BUILDERS.put("regnet_x_8gf", RegNet::regnet_x_8gf);
        BUILDERS.put("regnet_y_128gf", RegNet::regnet_y_128gf);
        BUILDERS.put("regnet_y_16gf", RegNet::regnet_y_16gf);
        BUILDERS.put("regnet_y_1_6gf", RegNet::regnet_y_1_6gf);
        BUILDERS.put("regnet_y_32gf", RegNet::regnet_y_32gf);
        BUILDERS.put("regnet_y_3_2gf", RegNet::regnet_y_3_2gf);
        BUILDERS.put("regnet_y_400mf", RegNet::regnet_y_400mf);
        BUILDERS.put("regnet_y_800mf", RegNet::regnet_y_800mf);
        BUILDERS.put("regnet_y_8gf", RegNet::regnet_y_8gf);
        BUILDERS.put("resnet101", ResNet::resnet101);
        BUILDERS.put("resnet152", ResNet::resnet152);
        BUILDERS.put("resnet18", ResNet::resnet18);
        BUILDERS.put("resnet34", ResNet::resnet34);
        BUILDERS.put("resnet50", ResNet::resnet50);
        BUILDERS.put("resnext101_32x8d", ResNet::resnext101_32x8d);
        BUILDERS.put("resnext101_64x4d", ResNet::resnext101_64x4d);
        BUILDERS.put("resnext50_32x4d", ResNet::resnext50_32x4d);
        BUILDERS.put("shufflenet_v2_x0_5", ShuffleNetV2::shufflenet_v2_x0_5);
        BUILDERS.put("shufflenet_v2_x1_0", ShuffleNetV2::shufflenet_v2_x1_0);
        BUILDERS.put("shufflenet_v2_x1_5", ShuffleNetV2::shufflenet_v2_x1_5);
        BUILDERS.put("shufflenet_v2_x2_0", ShuffleNetV2::shufflenet_v2_x2_0);
        BUILDERS.put("squeezenet1_0", SqueezeNet::squeezenet1_0);
        BUILDERS.put("squeezenet1_1", SqueezeNet::squeezenet1_1);
        BUILDERS.put("vgg11", VGG::vgg11);
        BUILDERS.put("vgg11_bn", VGG::vgg11_bn);
        BUILDERS.put("vgg13", VGG::vgg13);
        BUILDERS.put("vgg13_bn", VGG::vgg13_bn);
        BUILDERS.put("vgg16", VGG::vgg16);
        BUILDERS.put("vgg16_bn", VGG::vgg16_bn);
        BUILDERS.put("vgg19", VGG::vgg19);
        BUILDERS.put("vgg19_bn", VGG::vgg19_bn);
        BUILDERS.put("vit_b_16", VisionTransformer::vit_b_16);
        BUILDERS.put("vit_b_32", VisionTransformer::vit_b_32);
        BUILDERS.put("vit_h_14", VisionTransformer::vit_h_14);
        BUILDERS.put("vit_l_16", VisionTransformer::vit_l_16);
        BUILDERS.put("vit_l_32", VisionTransformer::vit_l_32);
        BUILDERS.put("wide_resnet101_2", ResNet::wide_resnet101_2);
        BUILDERS.put("wide_resnet50_2", ResNet::wide_resnet50_2);
    }

    private Models() {
    }

    /** The builder names, sorted. */
    public static List<String> listModels() {
        return List.copyOf(BUILDERS.keySet());
    }

    /** {@code get_model(name)}: the architecture with fresh weights and 1000 classes. */
    public static Module getModel(String name) {
        Supplier<Module> builder = BUILDERS.get(name);
        if (builder == null) {
            throw new IllegalArgumentException("Models: unknown model \"" + name + "\"; the models are " + listModels());
        }
        return builder.get();
    }

    /**
     * The architecture with the weights of a local file (a downloaded torchvision file, or a state
     * dict of the same model), as {@link Weights#loadFile}. GoogLeNet and Inception v3 are built
     * as their pretrained builders build them (see {@link #getModel(String, Weights)}).
     */
    public static Module getModel(String name, java.nio.file.Path weightsFile) throws IOException {
        Pretrained special = PRETRAINED.get(name);
        if (special != null) {
            return special.load(weightsFile);
        }
        Module model = getModel(name);
        Weights.loadFile(model, weightsFile);
        return model;
    }

    /**
     * {@code get_model(name, weights=weights)}: the architecture with the pretrained weights
     * loaded. As in torchvision, GoogLeNet and Inception v3 then take inputs normalised with
     * ImageNet's statistics ({@code transform_input=True}), and GoogLeNet has no auxiliary
     * classifiers.
     */
    public static Module getModel(String name, Weights weights) throws IOException {
        Pretrained special = PRETRAINED.get(name);
        return special != null ? special.load(weights.fetchFor(name)) : weights.loadInto(getModel(name), name);
    }

    /** A builder whose pretrained model differs from its fresh one by more than the weights. */
    private interface Pretrained {
        Module load(java.nio.file.Path file) throws IOException;
    }

    private static final Map<String, Pretrained> PRETRAINED = Map.of("googlenet", GoogLeNet::pretrained, "inception_v3", Inception3::pretrained);
}
