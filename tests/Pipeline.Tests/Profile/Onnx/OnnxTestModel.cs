using System.Text;

namespace MediaServer.Pipeline.Tests.Profile.Onnx;

/// <summary>
/// Writes small ONNX models as protobuf bytes (no Python <c>onnx</c> package here): a <c>ModelProto</c> (IR 8, opset 13)
/// whose graph is built from the field numbers of onnx/onnx.proto. Enough for linear classifiers:
/// <c>MatMul → Add → Softmax</c> over the feature vector, or over the mean power of a waveform
/// (<c>Mul → ReduceMean</c> first).
/// </summary>
internal static class OnnxTestModel
{
    /// <summary>"calm" vs "excited" from the median F0 (feature 1) alone: logit(excited) = 0.2·F0 − 20, so 100 Hz is the
    /// boundary (espeak-ng -p 20 speaks near 77 Hz, -p 80 near 137 Hz, flite slt near 180 Hz).</summary>
    public static byte[] PitchEmotion()
    {
        var w = new float[MediaServer.Pipeline.Profile.Onnx.VoiceFeatureVector.Length, 2];
        w[1, 1] = 0.2f; // median_f0_hz
        return LinearSoftmax(w, [0f, -20f]);
    }

    /// <summary>[1, inputs] features → softmax(features · weights + bias), output "probabilities" [1, labels].</summary>
    public static byte[] LinearSoftmax(float[,] weights, float[] bias, string inputName = "features", int? declaredInputs = null, bool softmax = true)
    {
        int inputs = weights.GetLength(0), labels = weights.GetLength(1);
        var nodes = new List<byte[]>
        {
            Node("MatMul", [inputName, "W"], ["z"]),
            Node("Add", ["z", "B"], [softmax ? "logits" : "probabilities"]),
        };
        if (softmax) nodes.Add(Node("Softmax", ["logits"], ["probabilities"], IntAttribute("axis", -1)));
        return Model(Graph(
            nodes,
            [Tensor("W", [inputs, labels], Flatten(weights)), Tensor("B", [labels], bias)],
            ValueInfo(inputName, [1, declaredInputs ?? inputs]),
            ValueInfo("probabilities", [1, labels])));
    }

    /// <summary>[1, samples] waveform → mean power p → softmax(p · weights + bias); the sample count is dynamic.</summary>
    public static byte[] PowerSoftmax(float[] weights, float[] bias, bool dynamicOutput = false)
    {
        int labels = weights.Length;
        var nodes = new List<byte[]>
        {
            Node("Mul", ["waveform", "waveform"], ["squared"]),
            Node("ReduceMean", ["squared"], ["power"], IntsAttribute("axes", [1]), IntAttribute("keepdims", 1)),
            Node("MatMul", ["power", "W"], ["z"]),
            Node("Add", ["z", "B"], ["logits"]),
            Node("Softmax", ["logits"], ["probabilities"], IntAttribute("axis", -1)),
        };
        return Model(Graph(
            nodes,
            [Tensor("W", [1, labels], weights), Tensor("B", [labels], bias)],
            ValueInfo("waveform", [1, null]),
            ValueInfo("probabilities", [1, dynamicOutput ? null : labels])));
    }

    private static float[] Flatten(float[,] m)
    {
        var flat = new float[m.Length];
        int k = 0;
        for (int r = 0; r < m.GetLength(0); r++)
        {
            for (int c = 0; c < m.GetLength(1); c++) flat[k++] = m[r, c];
        }

        return flat;
    }

    // ModelProto: ir_version = 1, producer_name = 2, graph = 7, opset_import = 8.
    private static byte[] Model(byte[] graph) => Message(w =>
    {
        w.Varint(1, 8);
        w.String(2, "mediaserver-tests");
        w.Bytes(7, graph);
        w.Bytes(8, Message(o =>
        {
            // OperatorSetIdProto: domain = 1, version = 2.
            o.String(1, "");
            o.Varint(2, 13);
        }));
    });

    // GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12.
    private static byte[] Graph(List<byte[]> nodes, byte[][] initializers, byte[] input, byte[] output) => Message(w =>
    {
        foreach (var n in nodes) w.Bytes(1, n);
        w.String(2, "classifier");
        foreach (var t in initializers) w.Bytes(5, t);
        w.Bytes(11, input);
        w.Bytes(12, output);
    });

    // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5.
    private static byte[] Node(string op, string[] inputs, string[] outputs, params byte[][] attributes) => Message(w =>
    {
        foreach (var i in inputs) w.String(1, i);
        foreach (var o in outputs) w.String(2, o);
        w.String(3, op + "_" + outputs[0]);
        w.String(4, op);
        foreach (var a in attributes) w.Bytes(5, a);
    });

    // AttributeProto: name = 1, i = 3, ints = 8, type = 20 (INT = 2, INTS = 7).
    private static byte[] IntAttribute(string name, long value) => Message(w =>
    {
        w.String(1, name);
        w.Varint(3, (ulong)value);
        w.Varint(20, 2);
    });

    private static byte[] IntsAttribute(string name, long[] values) => Message(w =>
    {
        w.String(1, name);
        foreach (var v in values) w.Varint(8, (ulong)v);
        w.Varint(20, 7);
    });

    // TensorProto: dims = 1, data_type = 2 (FLOAT = 1), name = 8, raw_data = 9 (little-endian).
    private static byte[] Tensor(string name, long[] dims, float[] values) => Message(w =>
    {
        foreach (var d in dims) w.Varint(1, (ulong)d);
        w.Varint(2, 1);
        w.String(8, name);
        var raw = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BitConverter.TryWriteBytes(raw.AsSpan(i * 4), values[i]);
        w.Bytes(9, raw);
    });

    // ValueInfoProto: name = 1, type = 2; TypeProto: tensor_type = 1; TypeProto.Tensor: elem_type = 1, shape = 2;
    // TensorShapeProto: dim = 1; Dimension: dim_value = 1, dim_param = 2.
    private static byte[] ValueInfo(string name, long?[] dims) => Message(w =>
    {
        w.String(1, name);
        w.Bytes(2, Message(type => type.Bytes(1, Message(tensor =>
        {
            tensor.Varint(1, 1);
            tensor.Bytes(2, Message(shape =>
            {
                foreach (var d in dims)
                {
                    shape.Bytes(1, Message(dim =>
                    {
                        if (d is long value) dim.Varint(1, (ulong)value);
                        else dim.String(2, "samples");
                    }));
                }
            }));
        }))));
    });

    private static byte[] Message(Action<ProtoWriter> build)
    {
        var writer = new ProtoWriter();
        build(writer);
        return writer.ToArray();
    }

    private sealed class ProtoWriter
    {
        private readonly MemoryStream _stream = new();

        public void Varint(int field, ulong value)
        {
            Raw(((ulong)field << 3) | 0);
            Raw(value);
        }

        public void Bytes(int field, byte[] value)
        {
            Raw(((ulong)field << 3) | 2);
            Raw((ulong)value.Length);
            _stream.Write(value);
        }

        public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public byte[] ToArray() => _stream.ToArray();

        private void Raw(ulong value)
        {
            while (value >= 0x80)
            {
                _stream.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }

            _stream.WriteByte((byte)value);
        }
    }
}
