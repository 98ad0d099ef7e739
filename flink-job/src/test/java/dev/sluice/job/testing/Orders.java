package dev.sluice.job.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Raw lines for {@code pipelines/sla-orders.yaml} with a known mix of outcomes, shuffled. */
public final class Orders {
    private Orders() {
    }

    /**
     * {@code good} orders with ids {@code <idPrefix><i>} (i from {@code firstId}), {@code dropped}
     * health-check lines and {@code errors} failing lines cycling through invalid JSON, a non-numeric
     * amount and a missing id.
     */
    public static List<byte[]> mix(String idPrefix, int firstId, int good, int dropped, int errors, long seed) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < good; i++) {
            lines.add("{\"id\":\"" + idPrefix + (firstId + i) + "\",\"ts\":\"2026-11-23T10:00:00Z\",\"amount\":"
                    + (i % 50) + ".5,\"note\":\"n" + i + "\"}");
        }
        for (int i = 0; i < dropped; i++) {
            lines.add("GET /healthcheck " + i);
        }
        for (int i = 0; i < errors; i++) {
            lines.add(switch (i % 3) {
                case 0 -> "{\"id\":\"bad-" + i + "\",\"ts\":";
                case 1 -> "{\"id\":\"nan-" + i + "\",\"ts\":\"2026-11-23T10:00:00Z\",\"amount\":\"lots\"}";
                default -> "{\"ts\":\"2026-11-23T10:00:00Z\",\"amount\":1}";
            });
        }
        Collections.shuffle(lines, new Random(seed));
        return lines.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }
}
