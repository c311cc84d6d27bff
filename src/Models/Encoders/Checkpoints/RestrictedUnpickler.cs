using System.Buffers.Binary;
using System.Text;

namespace Orchestrator.Models.Encoders.Checkpoints;

/// <summary>
/// A pickle reader that only understands what a PyTorch state dict needs, because a checkpoint is
/// untrusted input: unpickling runs whatever callables the file names. Globals are checked when
/// the stream names them (GLOBAL, STACK_GLOBAL, INST); any global not in <see cref="Allowed"/> is
/// refused with its name. Nothing is ever looked up by name beyond that table.
/// </summary>
/// <remarks>
/// Objects: None = null, bool, long, double, string, byte[], <see cref="List{T}"/> (list),
/// <c>object?[]</c> (tuple), <see cref="PickleDict"/> (dict, OrderedDict), <see cref="PickleGlobal"/>
/// (a callable or a storage type from the table), and whatever those callables return.
/// </remarks>
public sealed class RestrictedUnpickler
{
    /// <summary>An allowed global: a callable (REDUCE calls it with the argument tuple) or a storage-type marker.</summary>
    public sealed record PickleGlobal(string Module, string Name, Func<object?[], object?>? Call)
    {
        /// <summary>The dotted name, e.g. <c>torch.FloatStorage</c>.</summary>
        public string FullName => $"{Module}.{Name}";
    }

    /// <summary>An ordered dictionary (plain dicts and collections.OrderedDict alike).</summary>
    public sealed class PickleDict : List<KeyValuePair<object, object?>>;

    private static readonly object Mark = new();

    private readonly BinaryReader _reader;
    private readonly string _source;
    private readonly IReadOnlyDictionary<string, PickleGlobal> _allowed;
    private readonly Func<object?, object?> _persistentLoad;
    private readonly List<object?> _stack = [];
    private readonly Dictionary<long, object?> _memo = [];

    private RestrictedUnpickler(Stream stream, string source, IReadOnlyDictionary<string, PickleGlobal> allowed, Func<object?, object?> persistentLoad)
    {
        _reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        _source = source;
        _allowed = allowed;
        _persistentLoad = persistentLoad;
    }

    /// <summary>
    /// Reads one pickle from <paramref name="stream"/>. <paramref name="allowed"/> lists the only
    /// globals the stream may name; <paramref name="persistentLoad"/> resolves BINPERSID ids.
    /// </summary>
    public static object? Load(Stream stream, string source, IEnumerable<PickleGlobal> allowed, Func<object?, object?> persistentLoad) =>
        new RestrictedUnpickler(stream, source, allowed.ToDictionary(g => g.FullName), persistentLoad).Run();

    private object? Run()
    {
        while (true)
        {
            var offset = _reader.BaseStream.CanSeek ? _reader.BaseStream.Position : -1;
            int opcode = _reader.BaseStream.ReadByte();
            if (opcode < 0) throw Error("the pickle ends without a STOP opcode");
            switch (opcode)
            {
                case 0x80: _reader.ReadByte(); break;                                  // PROTO
                case 0x95: _reader.ReadUInt64(); break;                                // FRAME (length only)
                case '.': return Pop();                                               // STOP
                case '(': _stack.Add(Mark); break;                                     // MARK
                case ')': _stack.Add(Array.Empty<object?>()); break;                   // EMPTY_TUPLE
                case ']': _stack.Add(new List<object?>()); break;                      // EMPTY_LIST
                case '}': _stack.Add(new PickleDict()); break;                         // EMPTY_DICT
                case 't': _stack.Add(PopToMark().ToArray()); break;                    // TUPLE
                case 0x85: _stack.Add(new[] { Pop() }); break;                         // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); _stack.Add(new[] { a, b }); break; }            // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); _stack.Add(new[] { a, b, c }); break; } // TUPLE3
                case 'l': _stack.Add(PopToMark()); break;                              // LIST
                case 'd': _stack.Add(ToDict(PopToMark())); break;                      // DICT
                case 'a': { var item = Pop(); PeekList().Add(item); break; }           // APPEND
                case 'e': { var items = PopToMark(); PeekList().AddRange(items); break; } // APPENDS
                case 's': { var value = Pop(); var key = Pop(); PeekDict().Add(new(Key(key), value)); break; } // SETITEM
                case 'u': { var items = PopToMark(); PeekDict().AddRange(ToDict(items)); break; }            // SETITEMS
                case 'c': _stack.Add(Global(ReadLine(), ReadLine())); break;           // GLOBAL
                case 0x93: { var name = Pop(); var module = Pop(); _stack.Add(Global(AsString(module), AsString(name))); break; } // STACK_GLOBAL
                case 'i': throw Forbidden($"{ReadLine()}.{ReadLine()}");              // INST: instantiates a class by name
                case 'R': Reduce(); break;                                            // REDUCE
                case 'b': Build(); break;                                             // BUILD
                case 'Q': _stack.Add(_persistentLoad(Pop())); break;                   // BINPERSID
                case 'q': _memo[_reader.ReadByte()] = Peek(); break;                   // BINPUT
                case 'r': _memo[_reader.ReadUInt32()] = Peek(); break;                 // LONG_BINPUT
                case 'p': _memo[long.Parse(ReadLine())] = Peek(); break;               // PUT
                case 0x94: _memo[_memo.Count] = Peek(); break;                         // MEMOIZE
                case 'h': _stack.Add(Memo(_reader.ReadByte())); break;                 // BINGET
                case 'j': _stack.Add(Memo(_reader.ReadUInt32())); break;               // LONG_BINGET
                case 'g': _stack.Add(Memo(long.Parse(ReadLine()))); break;             // GET
                case 'J': _stack.Add((long)_reader.ReadInt32()); break;                // BININT
                case 'K': _stack.Add((long)_reader.ReadByte()); break;                 // BININT1
                case 'M': _stack.Add((long)_reader.ReadUInt16()); break;               // BININT2
                case 0x8a: _stack.Add(ReadLong(_reader.ReadByte())); break;            // LONG1
                case 0x8b: _stack.Add(ReadLong(_reader.ReadInt32())); break;           // LONG4
                case 'I': _stack.Add(ParseInt(ReadLine())); break;                     // INT (also I00/I01 booleans)
                case 'L': _stack.Add(long.Parse(ReadLine().TrimEnd('L'))); break;      // LONG
                case 'G': _stack.Add(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break; // BINFLOAT
                case 'X': _stack.Add(Encoding.UTF8.GetString(ReadBytes(_reader.ReadUInt32()))); break;      // BINUNICODE
                case 0x8c: _stack.Add(Encoding.UTF8.GetString(ReadBytes(_reader.ReadByte()))); break;       // SHORT_BINUNICODE
                case 0x8d: _stack.Add(Encoding.UTF8.GetString(ReadBytes(_reader.ReadUInt64()))); break;     // BINUNICODE8
                case 'T': _stack.Add(Encoding.Latin1.GetString(ReadBytes(_reader.ReadUInt32()))); break;    // BINSTRING
                case 'U': _stack.Add(Encoding.Latin1.GetString(ReadBytes(_reader.ReadByte()))); break;      // SHORT_BINSTRING
                case 'B': _stack.Add(ReadBytes(_reader.ReadUInt32())); break;           // BINBYTES
                case 'C': _stack.Add(ReadBytes(_reader.ReadByte())); break;             // SHORT_BINBYTES
                case 0x8e: _stack.Add(ReadBytes(_reader.ReadUInt64())); break;          // BINBYTES8
                case 'N': _stack.Add(null); break;                                    // NONE
                case 0x88: _stack.Add(true); break;                                   // NEWTRUE
                case 0x89: _stack.Add(false); break;                                  // NEWFALSE
                case '0': Pop(); break;                                               // POP
                case '1': PopToMark(); break;                                         // POP_MARK
                case '2': _stack.Add(Peek()); break;                                  // DUP
                default:
                    throw Error($"unsupported pickle opcode 0x{opcode:x2} ('{(char)opcode}') at byte {offset}: a state dict never needs it");
            }
        }
    }

    private PickleGlobal Global(string module, string name) =>
        _allowed.TryGetValue($"{module}.{name}", out var allowed) ? allowed : throw Forbidden($"{module}.{name}");

    private CheckpointException Forbidden(string global) => new(
        $"{_source}: refused the pickle global '{global}'. A checkpoint is untrusted input; only state-dict globals are allowed " +
        $"({string.Join(", ", _allowed.Keys.Order(StringComparer.Ordinal))}). Nothing in it was run. {ConvertAdvice}");

    /// <summary>What to do with a checkpoint this reader refuses: safetensors holds tensors only, so it cannot carry code.</summary>
    internal const string ConvertAdvice =
        "Convert it to model.safetensors where you trust its source (safetensors.torch.save_file(torch.load(path, weights_only=True), 'model.safetensors')) and load that instead.";

    private CheckpointException Error(string what) => new($"{_source}: {what}.");

    private void Reduce()
    {
        var args = Pop() as object?[] ?? throw Error("REDUCE expects an argument tuple");
        var callable = Pop();
        if (callable is not PickleGlobal { Call: { } call } global)
            throw Error($"REDUCE on {Describe(callable)}, which is not an allowed callable");
        try
        {
            _stack.Add(call(args));
        }
        catch (Exception e) when (e is InvalidCastException or IndexOutOfRangeException or ArgumentException or NullReferenceException)
        {
            throw Error($"bad arguments to {global.FullName}: {e.Message}");
        }
    }

    private void Build()
    {
        var state = Pop();
        var target = Peek();
        // OrderedDict state is the dict's attributes (a state dict's _metadata): not needed for inference.
        if (target is not PickleDict && target is not StoredObject)
            throw Error($"BUILD on {Describe(target)} is not allowed (state {Describe(state)})");
    }

    private object? Memo(long key) => _memo.TryGetValue(key, out var value) ? value : throw Error($"memo key {key} was never stored");

    private object? Pop()
    {
        if (_stack.Count == 0) throw Error("stack underflow");
        var value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value == Mark ? throw Error("unexpected MARK") : value;
    }

    private object? Peek() => _stack.Count > 0 && _stack[^1] != Mark ? _stack[^1] : throw Error("stack underflow");

    private List<object?> PeekList() => Peek() as List<object?> ?? throw Error($"APPEND to {Describe(Peek())}");

    private PickleDict PeekDict() => Peek() as PickleDict ?? throw Error($"SETITEM on {Describe(Peek())}");

    private List<object?> PopToMark()
    {
        var mark = _stack.FindLastIndex(o => o == Mark);
        if (mark < 0) throw Error("no MARK on the stack");
        var items = _stack.GetRange(mark + 1, _stack.Count - mark - 1);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private PickleDict ToDict(List<object?> items)
    {
        if (items.Count % 2 != 0) throw Error("odd number of items for a dict");
        var dict = new PickleDict();
        for (var i = 0; i < items.Count; i += 2) dict.Add(new(Key(items[i]), items[i + 1]));
        return dict;
    }

    private object Key(object? key) => key ?? throw Error("a dict key is None");

    private string ReadLine()
    {
        var bytes = new List<byte>();
        for (int b; (b = _reader.BaseStream.ReadByte()) != '\n';)
        {
            if (b < 0) throw Error("the pickle ends inside a text argument");
            if (bytes.Count > 4096) throw Error("a text argument is longer than 4096 bytes");
            bytes.Add((byte)b);
        }
        return Encoding.UTF8.GetString(bytes.ToArray()).TrimEnd('\r');
    }

    private byte[] ReadBytes(ulong count)
    {
        var remaining = _reader.BaseStream.CanSeek ? _reader.BaseStream.Length - _reader.BaseStream.Position : long.MaxValue;
        if (count > (ulong)remaining || count > int.MaxValue) throw Error($"a {count}-byte argument runs past the end of the pickle");
        return _reader.ReadBytes((int)count);
    }

    private long ReadLong(long byteCount)
    {
        if (byteCount is < 0 or > 8) throw Error($"an integer of {byteCount} bytes does not fit 64 bits");
        var bytes = ReadBytes((ulong)byteCount);
        long value = 0;
        for (var i = 0; i < bytes.Length; i++) value |= (long)bytes[i] << (8 * i);
        if (bytes.Length is > 0 and < 8 && (bytes[^1] & 0x80) != 0) value -= 1L << (8 * bytes.Length); // two's complement sign
        return value;
    }

    private static object ParseInt(string text) => text switch
    {
        "00" => false,
        "01" => true,
        _ => long.Parse(text),
    };

    private string AsString(object? value) => value as string ?? throw Error($"STACK_GLOBAL expects strings, found {Describe(value)}");

    private static string Describe(object? value) => value switch
    {
        null => "None",
        PickleGlobal g => g.FullName,
        string s => $"'{s}'",
        _ => value.GetType().Name,
    };

    /// <summary>Marker base for objects the allowed callables build and BUILD may update (tensors, parameters).</summary>
    public abstract class StoredObject;
}
