package dev.sluice.backfill;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * The few file operations a replay makes on the lake, through Flink's file systems (the ones the Hive
 * sink writes through: local, HDFS, S3 with Flink's plugin), on location URIs as the metastore stores them.
 */
final class LakeFiles {
    private LakeFiles() {
    }

    static boolean exists(String location) throws IOException {
        Path path = new Path(location);
        return path.getFileSystem().exists(path);
    }

    /** Files directly under {@code location} that readers see (not hidden {@code .x} / {@code _x}). */
    static List<Path> visibleFiles(String location) throws IOException {
        Path dir = new Path(location);
        FileSystem fs = dir.getFileSystem();
        List<Path> files = new ArrayList<>();
        if (!fs.exists(dir)) {
            return files;
        }
        for (FileStatus status : fs.listStatus(dir)) {
            String name = status.getPath().getName();
            if (!status.isDir() && !name.startsWith(".") && !name.startsWith("_")) {
                files.add(status.getPath());
            }
        }
        return files;
    }

    /** Sub-directories of {@code location} (empty when it does not exist). */
    static List<Path> directories(String location) throws IOException {
        Path dir = new Path(location);
        FileSystem fs = dir.getFileSystem();
        List<Path> dirs = new ArrayList<>();
        if (!fs.exists(dir)) {
            return dirs;
        }
        for (FileStatus status : fs.listStatus(dir)) {
            if (status.isDir()) {
                dirs.add(status.getPath());
            }
        }
        return dirs;
    }

    /**
     * Rows of the Parquet files readers see under {@code location}, from the files' footers: what the
     * committed files hold, read back from them (not counted by the writer), without decoding a row. A
     * million-row partition takes well under a second this way, against tens of seconds through the row
     * reader.
     */
    static long parquetRows(String location) throws IOException {
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        long rows = 0;
        for (Path file : visibleFiles(location)) {
            try (ParquetFileReader reader = ParquetFileReader.open(
                    HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), conf))) {
                rows += reader.getRecordCount();
            }
        }
        return rows;
    }

    static void copy(Path from, Path to) throws IOException {
        FileSystem fs = to.getFileSystem();
        try (InputStream in = from.getFileSystem().open(from);
             OutputStream out = fs.create(to, FileSystem.WriteMode.NO_OVERWRITE)) {
            in.transferTo(out);
        }
    }

    static String read(String location) throws IOException {
        Path path = new Path(location);
        try (InputStream in = path.getFileSystem().open(path)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Writes a small file whole (written aside and renamed where the file system allows, so readers see all or nothing). */
    static void write(String location, String content) throws IOException {
        Path path = new Path(location);
        FileSystem fs = path.getFileSystem();
        Path tmp = new Path(path.getParent(), "." + path.getName() + ".tmp");
        try (OutputStream out = fs.create(tmp, FileSystem.WriteMode.OVERWRITE)) {
            out.write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (fs.exists(path)) {
            fs.delete(path, false);
        }
        if (!fs.rename(tmp, path)) {
            throw new IOException("cannot rename " + tmp + " to " + path);
        }
    }

    static void deleteRecursively(String location) throws IOException {
        Path path = new Path(location);
        path.getFileSystem().delete(path, true);
    }

    /**
     * Whether two locations name the same directory: the metastore stores {@code file:/x} where Sluice
     * writes {@code file:///x}.
     */
    static boolean sameLocation(String a, String b) {
        return normalize(a).equals(normalize(b));
    }

    static String normalize(String location) {
        URI uri = new Path(location).toUri().normalize();
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
        return (uri.getScheme() == null ? "file" : uri.getScheme()) + "://"
                + (uri.getAuthority() == null ? "" : uri.getAuthority()) + path;
    }
}
