package dev.sluice.job.pipeline;

import dev.sluice.core.config.ParserConfig;
import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.TableConfig;
import dev.sluice.core.error.ErrorCode;
import dev.sluice.core.error.ErrorRecord;
import dev.sluice.core.record.RawRecord;
import dev.sluice.job.extend.Functions;
import dev.sluice.job.filter.KeywordFilter;
import dev.sluice.job.parse.ParseResult;
import dev.sluice.job.parse.RawLine;
import dev.sluice.job.parse.RecordParser;
import dev.sluice.job.parse.RecordParsers;
import dev.sluice.job.udf.PyValues;
import dev.sluice.job.udf.PythonUdfs;
import dev.sluice.job.udf.UdfException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ETL engine of one job: preprocess → filter → parse → extend → route → postprocess → format for
 * every stream table of the topic, one raw record at a time. Serializable configuration in, runtime objects (compiled patterns,
 * expressions, functions) built in {@link #open()}; cheap enough to rebuild for a hot reload.
 *
 * <h2>Work flow per record</h2>
 * <ol>
 *   <li><b>preprocess</b> (when {@code udf.preprocess} is set): the Python UDF gets the line as text and
 *       returns the line the rest of the pipeline sees, or None to drop it. Error rows keep the original
 *       bytes.</li>
 *   <li><b>filter</b>: each table's keyword filter on the raw bytes. A table whose filter accepts is a
 *       <i>candidate</i>.</li>
 *   <li><b>parse</b>: once per distinct parser config among the candidates (tables with equal parser
 *       configs share one parse and its fields).</li>
 *   <li><b>claim</b>: a candidate whose parse succeeded <i>claims</i> the record. A candidate whose parser
 *       failed while another candidate's parser succeeded is not an error: the line simply has another
 *       table's format.</li>
 *   <li>each claiming table: <b>extend</b> (explode/flatten/derive) → <b>route</b> → <b>format</b>.</li>
 * </ol>
 *
 * <h2>Semantics: exactly these outcomes per raw record</h2>
 * <ul>
 *   <li>preprocess returned None: one {@code dropped(null, "udf_preprocess")}; it failed: one error
 *       ({@code UDF_ERROR}, {@code UDF_TIMEOUT}) without a table;</li>
 *   <li>no candidate: one {@code dropped(t, "filtered")} when some table {@code t}'s exclude keyword hit
 *       the line (the first such table), else one {@code dropped(null, "no_table")};</li>
 *   <li>candidates but no parse succeeded: one error (the first candidate parser's failure: its code,
 *       e.g. {@code INVALID_JSON}, {@code PATTERN_MISMATCH}), whose table is the candidate when there is
 *       exactly one, else null;</li>
 *   <li>otherwise, per claiming table (per array element when it explodes): a {@code row}, or
 *       {@code dropped(t, "route")} when its route is false, or {@code dropped(t, "explode_empty")}, or
 *       {@code dropped(t, "udf_postprocess")}, or an error ({@code EXTENSION_FAILED}, {@code ROUTING_FAILED},
 *       {@code UDF_ERROR}, {@code UDF_TIMEOUT}, {@code TYPE_CONVERSION}, {@code MISSING_REQUIRED_FIELD})
 *       for that table.</li>
 * </ul>
 * So every record ends in at least one call and a record can land in several tables. Error records
 * carry the raw bytes and the Kafka origin.
 *
 * <p>Not thread-safe: one instance per subtask, as Flink uses functions.
 */
public final class RecordProcessor implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RecordProcessor.class);

    public static final String DROP_NO_TABLE = "no_table";
    public static final String DROP_FILTERED = "filtered";
    public static final String DROP_PREPROCESS = "udf_preprocess";

    private final PipelineConfig config;

    private transient TableStage[] tables;
    private transient RecordParser[] parsers;
    /** Per-record scratch: parse result per parser slot, null until computed. */
    private transient ParseResult[] parsed;
    private transient boolean[] candidate;
    /** Null when the pipeline has no Python UDFs. */
    private transient PythonUdfs udfs;
    private transient String preprocess;

    public RecordProcessor(PipelineConfig config) {
        this.config = config;
    }

    public PipelineConfig config() {
        return config;
    }

    /**
     * Compiles patterns, functions and expressions. Fails fast on a config that validation would refuse.
     *
     * @throws IllegalArgumentException naming the table and what does not compile
     */
    public void open() {
        Functions functions = Functions.load();
        if (config.udf() != null) {
            udfs = PythonUdfs.open(config.udf());
            preprocess = config.udf().preprocess();
            try {
                if (preprocess != null) {
                    udfs.check(preprocess, 1);
                }
            } catch (IllegalArgumentException e) {
                close();
                throw new IllegalArgumentException("udf.preprocess: " + e.getMessage(), e);
            }
        }
        Map<ParserConfig, Integer> slots = new LinkedHashMap<>();
        List<TableStage> stages = new ArrayList<>();
        for (TableConfig table : config.tables()) {
            int slot = slots.computeIfAbsent(table.parser(), p -> slots.size());
            try {
                stages.add(new TableStage(table, slot, functions, udfs));
            } catch (RuntimeException e) {
                close();
                throw new IllegalArgumentException("table " + table.name() + ": " + e.getMessage(), e);
            }
        }
        this.parsers = slots.keySet().stream().map(RecordParsers::create).toArray(RecordParser[]::new);
        this.tables = stages.toArray(TableStage[]::new);
        this.parsed = new ParseResult[parsers.length];
        this.candidate = new boolean[tables.length];
        LOG.info("Opened pipeline for topic {}: {} tables, {} distinct parsers", config.source().topic(),
                tables.length, parsers.length);
    }

    /** Releases the Python context, if any; the processor cannot be used afterwards. */
    public void close() {
        if (udfs != null) {
            udfs.close();
            udfs = null;
        }
    }

    /** Runs one raw record through every table; see the class comment for what reaches {@code out}. */
    public void process(RawRecord record, PipelineOutput out) {
        byte[] bytes = record.value();
        if (preprocess != null) {
            try {
                bytes = preprocess(bytes);
            } catch (UdfException e) {
                out.error(ErrorRecord.of(e.code(), null, record, e, e.getMessage()));
                return;
            }
            if (bytes == null) {
                out.dropped(null, DROP_PREPROCESS);
                return;
            }
        }
        TableStage excludedBy = null;
        int candidates = 0;
        int firstCandidate = -1;
        for (int i = 0; i < tables.length; i++) {
            KeywordFilter.Verdict verdict = tables[i].filter.test(bytes);
            candidate[i] = verdict == KeywordFilter.Verdict.ACCEPT;
            if (candidate[i]) {
                candidates++;
                firstCandidate = firstCandidate < 0 ? i : firstCandidate;
            } else if (verdict == KeywordFilter.Verdict.EXCLUDED && excludedBy == null) {
                excludedBy = tables[i];
            }
        }
        if (candidates == 0) {
            out.dropped(excludedBy == null ? null : excludedBy.name, excludedBy == null ? DROP_NO_TABLE : DROP_FILTERED);
            return;
        }

        Arrays.fill(parsed, null);
        RawLine line = new RawLine(bytes);
        boolean claimed = false;
        for (int i = 0; i < tables.length; i++) {
            if (candidate[i]) {
                int slot = tables[i].parserSlot;
                if (parsed[slot] == null) {
                    parsed[slot] = parsers[slot].parse(line);
                }
                claimed |= parsed[slot].isOk();
            }
        }
        if (!claimed) {
            // Error rows carry the record as it arrived, before any preprocess.
            ParseResult failure = parsed[tables[firstCandidate].parserSlot];
            out.error(ErrorRecord.of(failure.code(), candidates == 1 ? tables[firstCandidate].name : null, record,
                    failure.cause(), failure.message()));
            return;
        }
        for (int i = 0; i < tables.length; i++) {
            ParseResult result = candidate[i] ? parsed[tables[i].parserSlot] : null;
            if (result != null && result.isOk()) {
                tables[i].process(result, record, out);
            }
        }
    }

    /** The preprocessed line, or null when the UDF dropped it. */
    private byte[] preprocess(byte[] bytes) throws UdfException {
        Value result = udfs.call(preprocess, new String(bytes, StandardCharsets.UTF_8));
        if (result.isNull()) {
            return null;
        }
        if (!result.isString()) {
            throw new UdfException(ErrorCode.UDF_ERROR, "preprocess " + preprocess
                    + " must return a str or None, got " + PyValues.typeName(result), null);
        }
        return result.asString().getBytes(StandardCharsets.UTF_8);
    }
}
