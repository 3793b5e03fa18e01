package io.github.fluxkontext.simulator;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Uploaded files (fal's storage initiate + signed PUT flow). */
final class FileStore {

    /** A file's bytes and type. */
    record StoredFile(String contentType, byte[] bytes) {
    }

    /** One initiated upload; {@code file} is null until the PUT arrived. */
    static final class Upload {
        final String id;
        final String signature;
        final String contentType;
        final String fileName;
        volatile StoredFile file;

        Upload(String id, String signature, String contentType, String fileName) {
            this.id = id;
            this.signature = signature;
            this.contentType = contentType;
            this.fileName = fileName;
        }
    }

    enum PutResult { STORED, NOT_FOUND, BAD_SIGNATURE }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

    Upload initiate(String contentType, String fileName) {
        byte[] sig = new byte[16];
        random.nextBytes(sig);
        Upload u = new Upload(UUID.randomUUID().toString().replace("-", ""), HexFormat.of().formatHex(sig),
                contentType, fileName);
        uploads.put(u.id, u);
        return u;
    }

    PutResult put(String id, String signature, byte[] bytes, String contentTypeHeader) {
        Upload u = uploads.get(id);
        if (u == null) {
            return PutResult.NOT_FOUND;
        }
        if (!u.signature.equals(signature)) {
            return PutResult.BAD_SIGNATURE;
        }
        String type = u.contentType != null ? u.contentType
                : contentTypeHeader != null ? contentTypeHeader : "application/octet-stream";
        u.file = new StoredFile(type, bytes);
        return PutResult.STORED;
    }

    Optional<StoredFile> uploaded(String id) {
        Upload u = uploads.get(id);
        return u == null ? Optional.empty() : Optional.ofNullable(u.file);
    }
}
