package dev.sluice.job.source;

import dev.sluice.core.record.RawRecord;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Type information binding {@link RawRecord} to {@link RawRecordSerializer}. */
public final class RawRecordTypeInfo extends TypeInformation<RawRecord> {
    private static final long serialVersionUID = 1L;
    public static final RawRecordTypeInfo INSTANCE = new RawRecordTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<RawRecord> getTypeClass() {
        return RawRecord.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<RawRecord> createSerializer(ExecutionConfig config) {
        return RawRecordSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "RawRecord";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof RawRecordTypeInfo;
    }

    @Override
    public int hashCode() {
        return RawRecordTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof RawRecordTypeInfo;
    }
}
