package dev.sluice.gateway.bench;

import dev.sluice.core.record.LogKind;
import dev.sluice.gateway.body.BodyFormat;
import dev.sluice.gateway.body.BodyReader;
import dev.sluice.gateway.config.IngestSource;
import dev.sluice.gateway.config.SourceFormat;
import dev.sluice.gateway.validate.RecordValidator;
import dev.sluice.gateway.validate.Verdict;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;

/**
 * By-hand microbenchmark of the gateway's per-record CPU on the batched NDJSON path without HTTP or Kafka:
 * a 500-line body of ~308-byte JSON records read through {@link BodyReader} and checked by
 * {@link RecordValidator}. Prints ns/record; compare runs of two builds (not a regression test).
 * Run: {@code java -cp <test classpath> dev.sluice.gateway.bench.BodyPathMicroBench [bodies]}.
 */
public final class BodyPathMicroBench {
    private static final int LINES = 500;

    private BodyPathMicroBench() {
    }

    public static void main(String[] args) throws Exception {
        int bodies = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        byte[] body = body();
        RecordValidator validator = new RecordValidator(new IngestSource("bench", LogKind.PROGRAM, SourceFormat.JSON,
                "t", Optional.of("user"), Optional.empty(), 1 << 20, 16L << 20, 64, Optional.empty()));
        long[] valid = new long[1];
        for (int round = 0; round < 5; round++) {
            valid[0] = 0;
            long start = System.nanoTime();
            for (int b0 = 0; b0 < bodies; b0++) {
                int b = b0;
                BodyReader.read(new ByteArrayInputStream(body), false, BodyFormat.NDJSON, 16L << 20, 1 << 20,
                        validator.jsonFactory(), (index, bytes, fullSize) -> {
                            Verdict verdict = validator.check(bytes, bytes.length, fullSize);
                            if (verdict instanceof Verdict.Valid) {
                                valid[0]++;
                            } else if (valid[0] == 0 && index == 0 && b == 0) {
                                System.out.println("first record rejected: " + verdict);
                            }
                        });
            }
            long elapsed = System.nanoTime() - start;
            System.out.printf("round %d: %.0f ns/record (%d valid of %d, body %d bytes)%n", round,
                    (double) elapsed / ((long) bodies * LINES), valid[0], (long) bodies * LINES, body.length);
        }
    }

    private static byte[] body() {
        Random random = new Random(7);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < LINES; i++) {
            String line = String.format("{\"ts\":\"2026-11-23T10:%02d:%02d.%03dZ\",\"level\":\"INFO\",\"service\":\"checkout\","
                            + "\"host\":\"app-%02d\",\"trace\":\"%016x\",\"user\":%d,\"msg\":\"request handled in %d ms\","
                            + "\"path\":\"/api/v1/items/%d\",\"status\":200,\"agent\":\"Mozilla/5.0 (X11; Linux x86_64) "
                            + "AppleWebKit/537.36\",\"region\":\"eu-west-1\",\"build\":\"%08x\"}\n",
                    random.nextInt(60), random.nextInt(60), random.nextInt(1000), random.nextInt(20), random.nextLong(),
                    random.nextInt(1_000_000), random.nextInt(900), random.nextInt(100_000), random.nextInt());
            out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
