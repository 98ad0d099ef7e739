package dev.sluice.job.pipeline;

import dev.sluice.core.config.ParserConfig;
import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.TableConfig;
import dev.sluice.core.error.ErrorRecord;
import dev.sluice.core.record.RawRecord;
import dev.sluice.job.extend.Functions;
import dev.sluice.job.filter.KeywordFilter;
import dev.sluice.job.parse.ParseResult;
import dev.sluice.job.parse.RawLine;
import dev.sluice.job.parse.RecordParser;
import dev.sluice.job.parse.RecordParsers;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ETL engine of one job: filter → parse → extend → route → format for every stream table of the
 * topic, one raw record at a time. Serializable configuration in, runtime objects (compiled patterns,
 * expressions, functions) built in {@link #open()}; cheap enough to rebuild for a hot reload.
 *
 * <h2>Work flow per record</h2>
 * <ol>
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
 *   <li>no candidate: one {@code dropped(t, "filtered")} when some table {@code t}'s exclude keyword hit
 *       the line (the first such table), else one {@code dropped(null, "no_table")};</li>
 *   <li>candidates but no parse succeeded: one error (the first candidate parser's failure: its code,
 *       e.g. {@code INVALID_JSON}, {@code PATTERN_MISMATCH}), whose table is the candidate when there is
 *       exactly one, else null;</li>
 *   <li>otherwise, per claiming table (per array element when it explodes): a {@code row}, or
 *       {@code dropped(t, "route")} when its route is false, or {@code dropped(t, "explode_empty")}, or
 *       an error ({@code EXTENSION_FAILED}, {@code ROUTING_FAILED}, {@code TYPE_CONVERSION},
 *       {@code MISSING_REQUIRED_FIELD}) for that table.</li>
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

    private final PipelineConfig config;

    private transient TableStage[] tables;
    private transient RecordParser[] parsers;
    /** Per-record scratch: parse result per parser slot, null until computed. */
    private transient ParseResult[] parsed;
    private transient boolean[] candidate;

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
        Map<ParserConfig, Integer> slots = new LinkedHashMap<>();
        List<TableStage> stages = new ArrayList<>();
        for (TableConfig table : config.tables()) {
            int slot = slots.computeIfAbsent(table.parser(), p -> slots.size());
            try {
                stages.add(new TableStage(table, slot, functions));
            } catch (RuntimeException e) {
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

    /** Runs one raw record through every table; see the class comment for what reaches {@code out}. */
    public void process(RawRecord record, PipelineOutput out) {
        byte[] bytes = record.value();
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
}
