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

    private const int Capacity = 20_000;

    // Longer than any pooled name or value is likely to be once unescaped; a longer string is read as it is.
    private const int LongestLookup = 128;

    private static readonly ConcurrentDictionary<string, string> Pool = new(StringComparer.Ordinal);

    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> ByText = Pool.GetAlternateLookup<ReadOnlySpan<char>>();

    // Counted apart: ConcurrentDictionary.Count takes every lock of the table, and a full pool asked it for every miss
    // (0.3 s of a 5,000-service sync, perf).
    private static int _count;

    /// <summary>A short value from the pool; a long one as it is.</summary>
    public static string Of(string value) => value.Length <= LongestPooledValue ? Always(value) : value;

    /// <summary>The pool's instance of the text, whatever its length (property names).</summary>
    public static string Always(string text)
    {
        if (Pool.TryGetValue(text, out var known))
        {
            return known;
        }
        return Add(text);
    }

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
        return ByText.TryGetValue(chars, out var known) ? known : Add(new string(chars));
    }

    private static string Add(string text)
    {
        if (Volatile.Read(ref _count) >= Capacity)
        {
            return text;
        }
        var pooled = Pool.GetOrAdd(text, text);
        if (ReferenceEquals(pooled, text))
        {
            Interlocked.Increment(ref _count);
        }
        return pooled;
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

    private const int Capacity = 20_000;

    private static readonly ConcurrentDictionary<string, JsonElement> Pool = new(StringComparer.Ordinal);

    private static readonly ConcurrentDictionary<string, JsonElement>.AlternateLookup<ReadOnlySpan<char>> ByText = Pool.GetAlternateLookup<ReadOnlySpan<char>>();

    private static int _count;

    public static JsonElement Of(JsonElement number)
    {
        var text = number.GetRawText();
        return text.Length > LongestPooled ? number.Clone() : Pool.TryGetValue(text, out var known) ? known : Add(text, number.Clone());
    }

    /// <summary>The number at the reader (on its token), looked up from its text before anything is parsed.</summary>
    public static JsonElement Read(ref Utf8JsonReader reader)
    {
        // A number's token is never escaped and is ASCII.
        var written = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (written > LongestPooled || reader.HasValueSequence)
        {
            return JsonElement.ParseValue(ref reader);
        }
        Span<char> text = stackalloc char[LongestPooled];
        var length = System.Text.Encoding.ASCII.GetChars(reader.ValueSpan, text);
        return ByText.TryGetValue(text[..length], out var known) ? known : Add(new string(text[..length]), JsonElement.ParseValue(ref reader));
    }

    private static JsonElement Add(string text, JsonElement number)
    {
        if (Volatile.Read(ref _count) >= Capacity)
        {
            return number;
        }
        var pooled = Pool.GetOrAdd(text, number);
        if (pooled.Equals(number))
        {
            Interlocked.Increment(ref _count);
        }
        return pooled;
    }
}
