using System.Buffers.Binary;
using System.Text;
using Orchestrator.Models.Encoders.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Encoders;

public sealed class SafeTensorsTests
{
    [Fact]
    public void Reads_the_fixture_header_and_data()
    {
        using var file = SafeTensorsFile.Open(Fixtures.File("bert", "reference.safetensors"));

        var ids = file.Tensors["input_ids"];
        Assert.Equal(ScalarType.Int64, ids.DType);
        Assert.Equal([2L, 19L], ids.Shape);
        using var tensor = ids.Read();
        Assert.Equal(new long[] { 2, 10, 12, 14, 15 }, tensor[0].data<long>().ToArray()[..5]);
        Assert.Equal(ScalarType.Float32, file.Tensors["hidden_states.0"].DType);
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Int64)]
    public void Round_trips_through_the_writer(ScalarType dtype)
    {
        using var directory = new TempDirectory();
        using var scope = NewDisposeScope();
        var a = arange(0, 24, dtype: ScalarType.Float32).reshape(2, 3, 4).to_type(dtype);
        var b = tensor(new float[] { 1.5f, -2.25f }).to_type(dtype);
        var path = directory.File("x.safetensors");

        SafeTensorsWriter.Write(path, [new("a", a), new("b.c", b)], new Dictionary<string, string> { ["format"] = "pt" });

        using var file = SafeTensorsFile.Open(path);
        Assert.Equal(["a", "b.c"], file.Tensors.Keys);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(dtype, file.Tensors["a"].DType);
        Assert.True(file.Tensors["a"].Read().equal(a).all().item<bool>());
        Assert.True(file.Tensors["b.c"].Read().equal(b).all().item<bool>());
    }

    [Fact]
    public void A_truncated_header_is_refused_with_its_size()
    {
        using var directory = new TempDirectory();
        var path = directory.File("model.safetensors");
        var bytes = File.ReadAllBytes(Fixtures.File("wav2vec2", "model.safetensors"));
        File.WriteAllBytes(path, bytes[..100]);

        var error = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(path));

        Assert.Contains("truncated", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_file_shorter_than_the_length_field_is_refused()
    {
        using var directory = new TempDirectory();
        var path = directory.File("model.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);

        var error = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(path));

        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_header_that_is_not_json_is_refused()
    {
        using var directory = new TempDirectory();
        var path = directory.File("model.safetensors");
        WriteRaw(path, "{\"a\": {\"dtype\": \"F32\", ");

        var error = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(path));

        Assert.Contains("not valid JSON", error.Message);
    }

    [Fact]
    public void Data_past_the_end_of_the_file_names_the_tensor()
    {
        using var directory = new TempDirectory();
        var path = directory.File("model.safetensors");
        WriteRaw(path, "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", dataBytes: 8);

        var error = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(path));

        Assert.Contains("'w'", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Offsets_that_disagree_with_the_shape_name_the_tensor()
    {
        using var directory = new TempDirectory();
        var path = directory.File("model.safetensors");
        WriteRaw(path, "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}", dataBytes: 16);

        var error = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(path));

        Assert.Contains("'w'", error.Message);
        Assert.Contains("needs 12", error.Message);
    }

    [Fact]
    public void An_unknown_dtype_is_named()
    {
        using var directory = new TempDirectory();
        var path = directory.File("model.safetensors");
        WriteRaw(path, "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", dataBytes: 2);

        var error = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(path));

        Assert.Contains("F8_E4M3", error.Message);
    }

    [Fact]
    public void Metadata_that_is_not_an_object_is_refused()
    {
        using var directory = new TempDirectory();
        var path = directory.File("model.safetensors");
        WriteRaw(path, "{\"__metadata__\":[1,2]}");

        var error = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(path));

        Assert.Contains("__metadata__", error.Message);
        Assert.Contains(path, error.Message);
    }

    private static void WriteRaw(string path, string header, int dataBytes = 0)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
    }
}
