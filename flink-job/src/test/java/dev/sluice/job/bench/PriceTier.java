package dev.sluice.job.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.job.extend.FieldFunction;
import dev.sluice.job.extend.FunctionArgs;
import dev.sluice.job.extend.FunctionFactory;
import dev.sluice.job.format.Values;

/**
 * {@code price_tier(amount)}: the Java twin of the example's Python {@code pricing.tier}
 * ({@code examples/pipelines/udf/python/pricing.py}), written against the derived-function SPI as a user would
 * ({@code META-INF/services/dev.sluice.job.extend.FunctionFactory}), so {@link UdfBench} compares the same
 * function in both languages.
 */
public final class PriceTier implements FunctionFactory {
    private static final TextNode LARGE = TextNode.valueOf("large");
    private static final TextNode SMALL = TextNode.valueOf("small");

    @Override
    public String name() {
        return "price_tier";
    }

    @Override
    public String signature() {
        return "price_tier(amount)";
    }

    @Override
    public FieldFunction bind(FunctionArgs args) {
        args.requireCount(1, 1);
        FunctionArgs.Value amount = args.field(0);
        return record -> {
            JsonNode value = amount.get(record);
            if (Values.isAbsent(value)) {
                return NullNode.getInstance();
            }
            return value.asDouble() >= 100 ? LARGE : SMALL;
        };
    }
}
