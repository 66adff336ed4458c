using System.Collections.Concurrent;
using System.Text.Json;

namespace MeshDashboard.Mesh.Kubernetes;

/// <summary>
/// One instance of each property name, and of each short value that recurs across objects ("True", "apps/v1", a label
/// like "version: v2"), shared by every cached object instead of copied into each: tens of thousands of objects repeat
/// the same few thousand strings. Bounded, so a cluster of unique strings cannot grow it without end; once full, strings
/// are copied as before.
/// </summary>
internal static class SharedStrings
{
    private const int LongestPooledValue = 24;

    // Longer than any pooled name or value is likely to be once unescaped; a longer string is read as it is.
    private const int LongestLookup = 128;

    private static readonly BoundedPool<string> Pool = new();

    /// <summary>A short value from the pool; a long one as it is.</summary>
    public static string Of(string value) => value.Length <= LongestPooledValue ? Always(value) : value;

    /// <summary>The pool's instance of the text, whatever its length (property names).</summary>
    public static string Always(string text) => Pool.TryGet(text, out var known) ? known : Pool.Add(text, text);

    /// <summary>
    /// The string or property name at the reader, from the pool when it is a name (<paramref name="always"/>) or a short
    /// value: looked up from its text without allocating, so only a string not pooled yet is made.
    /// </summary>
    public static string Read(ref Utf8JsonReader reader, bool always)
    {
        var written = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (written > LongestLookup)
        {
            var text = reader.GetString()!;
            return always ? Always(text) : text;
        }
        Span<char> buffer = stackalloc char[LongestLookup];
        var length = reader.CopyString(buffer);
        var chars = buffer[..length];
        if (!always && length > LongestPooledValue)
        {
            return new string(chars);
        }
        if (Pool.TryGet(chars, out var known))
        {
            return known;
        }
        var made = new string(chars);
        return Pool.Add(made, made);
    }
}

/// <summary>
/// A number as its own copy, keeping its text exactly as written (1.0 stays 1.0, a large integer is not rounded), shared
/// by every object with the same short number: a copied element is a document of its own (about 200 bytes with its
/// buffers), 37,000 of them at 5,000 services (ports, weights, percentages), nearly all the same few values. Copies are
/// immutable, so one serves every node that holds the value.
/// </summary>
internal static class SharedNumbers
{
    private const int LongestPooled = 24;

    private static readonly BoundedPool<JsonElement> Pool = new();

    public static JsonElement Of(JsonElement number)
    {
        var text = number.GetRawText();
        return text.Length > LongestPooled ? number.Clone() : Pool.TryGet(text, out var known) ? known : Pool.Add(text, number.Clone());
    }

    /// <summary>The number at the reader (on its token), looked up from its text before anything is parsed.</summary>
    public static JsonElement Read(ref Utf8JsonReader reader)
    {
        // A number's token is never escaped and is ASCII.
        if (reader.HasValueSequence || reader.ValueSpan.Length > LongestPooled)
        {
            return JsonElement.ParseValue(ref reader);
        }
        Span<char> text = stackalloc char[LongestPooled];
        var length = System.Text.Encoding.ASCII.GetChars(reader.ValueSpan, text);
        return Pool.TryGet(text[..length], out var known) ? known : Pool.Add(new string(text[..length]), JsonElement.ParseValue(ref reader));
    }
}

/// <summary>
/// The pool behind <see cref="SharedStrings"/> and <see cref="SharedNumbers"/>: values by their text, found from a
/// span of it without allocating, holding at most <see cref="Capacity"/> of them.
/// </summary>
internal sealed class BoundedPool<TValue>
{
    private const int Capacity = 20_000;

    private readonly ConcurrentDictionary<string, TValue> _values = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, TValue>.AlternateLookup<ReadOnlySpan<char>> _byText;

    // Counted apart: ConcurrentDictionary.Count takes every lock of the table, and a full pool asked it for every miss
    // (0.3 s of a 5,000-service sync, perf).
    private int _count;

    public BoundedPool() => _byText = _values.GetAlternateLookup<ReadOnlySpan<char>>();

    public bool TryGet(string text, out TValue value) => _values.TryGetValue(text, out value!);

    public bool TryGet(ReadOnlySpan<char> text, out TValue value) => _byText.TryGetValue(text, out value!);

    /// <summary>The pooled value for the text: this one when it is the first, the one already there when another came first; once full, this one, unpooled.</summary>
    public TValue Add(string text, TValue value)
    {
        if (Volatile.Read(ref _count) >= Capacity)
        {
            return value;
        }
        if (_values.TryAdd(text, value))
        {
            Interlocked.Increment(ref _count);
            return value;
        }
        return _values.TryGetValue(text, out var first) ? first : value;
    }
}
