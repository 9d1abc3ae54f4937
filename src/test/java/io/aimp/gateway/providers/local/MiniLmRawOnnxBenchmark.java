package io.aimp.gateway.providers.local;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Text embedding throughput of the gateway's MiniLM path (tokenise, ONNX Runtime, mean-pool, on the
 * embedder's own threads) against raw ONNX Runtime on the same batches (inputs tokenised beforehand,
 * {@code session.run} only). Not a test; run with {@code main}:
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.aimp.gateway.providers.local.MiniLmRawOnnxBenchmark 1024</pre>
 */
public final class MiniLmRawOnnxBenchmark {

    private MiniLmRawOnnxBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        List<String> texts = new ArrayList<>(n);
        String[] topics = {"payments", "weather", "football", "databases", "gardening", "astronomy", "cooking", "music"};
        for (int i = 0; i < n; i++) {
            texts.add("Sentence " + i + " is about " + topics[i % topics.length] + " and how people talk about it every day.");
        }
        // warm both paths
        MiniLmEmbedder.embed(texts.subList(0, 64), Duration.ofMinutes(5));
        long t0 = System.nanoTime();
        MiniLmEmbedder.embed(texts, Duration.ofMinutes(10));
        double gateway = (System.nanoTime() - t0) / 1e9;

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        HuggingFaceTokenizer tokenizer;
        try (InputStream model = MiniLmEmbedder.class.getResourceAsStream("/all-minilm-l6-v2.onnx");
             InputStream tok = MiniLmEmbedder.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(model.readAllBytes(), options);
            tokenizer = HuggingFaceTokenizer.newInstance(tok, Map.of("padding", "true", "truncation", "true", "maxLength", "256"));
        }
        List<Map<String, OnnxTensor>> batches = new ArrayList<>();
        for (int from = 0; from < n; from += MiniLmEmbedder.BATCH) {
            Encoding[] enc = tokenizer.batchEncode(texts.subList(from, Math.min(n, from + MiniLmEmbedder.BATCH)));
            int rows = enc.length;
            int len = enc[0].getIds().length;
            long[] ids = new long[rows * len];
            long[] mask = new long[rows * len];
            long[] types = new long[rows * len];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(enc[r].getIds(), 0, ids, r * len, len);
                System.arraycopy(enc[r].getAttentionMask(), 0, mask, r * len, len);
                System.arraycopy(enc[r].getTypeIds(), 0, types, r * len, len);
            }
            long[] shape = {rows, len};
            Map<String, OnnxTensor> in = new HashMap<>();
            in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (session.getInputNames().contains("token_type_ids")) {
                in.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
            }
            batches.add(in);
        }
        try (OrtSession.Result warm = session.run(batches.getFirst())) {
            warm.get(0);
        }
        long t1 = System.nanoTime();
        for (Map<String, OnnxTensor> in : batches) {
            try (OrtSession.Result r = session.run(in)) {
                r.get(0);
            }
        }
        double raw = (System.nanoTime() - t1) / 1e9;
        System.out.printf("gateway path: %d sentences in %.2f s = %.0f sentences/s%n", n, gateway, n / gateway);
        System.out.printf("raw ONNX Runtime (session.run only, pre-tokenised): %.2f s = %.0f sentences/s%n", raw, n / raw);
        System.out.printf("gateway / raw: %.2f%n", (n / gateway) / (n / raw));
        batches.forEach(m -> m.values().forEach(OnnxTensor::close));
        session.close();
        System.exit(0);
    }
}
