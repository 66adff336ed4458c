using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Mesh.Simulation;

/// <summary>
/// Envoy matches a <c>regex</c> StringMatch with RE2 against the whole value (a full match, not a search). .NET's
/// engine is not RE2, so a pattern is translated where the two differ and refused where we cannot be sure:
/// <list type="bullet">
/// <item><c>(?P&lt;name&gt;…)</c> becomes <c>(?&lt;name&gt;…)</c>; <c>\pL</c> becomes <c>\p{L}</c>; <c>\Q…\E</c> is escaped literally;
/// <c>\x{41}</c> becomes <c>\u0041</c>.</item>
/// <item><c>\d \w \s</c> (and their negations) are ASCII in RE2 but Unicode in .NET: they become explicit ASCII classes.</item>
/// <item><c>$</c> is end of text in RE2 (without <c>(?m)</c>) but also "before a final newline" in .NET: it becomes <c>\z</c>.</item>
/// <item>Refused: what <see cref="Re2"/> says RE2 lacks (lookaround, backreferences, …), the ungreedy flag <c>(?U)</c>,
/// <c>\C</c>, POSIX classes <c>[[:alpha:]]</c> and negated shorthands inside a class (<c>[^\D]</c>).</item>
/// </list>
/// Not modelled: Envoy's program-size limit (a very large pattern that Envoy rejects is evaluated here), and <c>\b</c>,
/// which is ASCII in RE2 and Unicode here (they differ only next to non-ASCII letters).
/// </summary>
public static class Re2Regex
{
    private static readonly ConcurrentDictionary<string, (Regex? Regex, string? Refusal)> Cache = new(StringComparer.Ordinal);

    /// <summary>Whether the RE2 pattern matches the whole value; null with a reason when the pattern cannot be simulated.</summary>
    public static bool? FullMatch(string pattern, string value, out string? refusal)
    {
        var (regex, why) = Cache.GetOrAdd(pattern, Compile);
        refusal = why;
        return regex?.IsMatch(value);
    }

    private static (Regex?, string?) Compile(string pattern)
    {
        // Translate first: Re2.Check compiles with .NET, which does not know RE2's (?P<name>…) or \pL.
        if (Translate(pattern, out var why) is not { } translated)
        {
            return (null, why);
        }
        if (Re2.Check(translated) is { } invalid)
        {
            return (null, invalid);
        }
        try
        {
            return (new Regex($"^(?:{translated})\\z", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)), null);
        }
        catch (ArgumentException e)
        {
            return (null, "the pattern does not translate to .NET: " + e.Message);
        }
    }

    internal static string? Translate(string pattern, out string? refusal)
    {
        refusal = null;
        var multiline = Regex.IsMatch(pattern, @"\(\?[a-zA-Z]*m");
        if (Regex.IsMatch(pattern, @"\(\?[a-zA-Z]*U"))
        {
            refusal = "the ungreedy flag (?U) has no .NET equivalent";
            return null;
        }
        var output = new StringBuilder();
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[++i];
                switch (next)
                {
                    case 'd' or 'w' or 's':
                        var set = next switch { 'd' => "0-9", 'w' => "0-9A-Za-z_", _ => @"\t\n\f\r " };
                        output.Append(inClass ? set : $"[{set}]");
                        break;
                    case 'D' or 'W' or 'S':
                        if (inClass)
                        {
                            refusal = $@"\{next} inside a character class is not simulated";
                            return null;
                        }
                        output.Append(next switch { 'D' => "[^0-9]", 'W' => "[^0-9A-Za-z_]", _ => @"[^\t\n\f\r ]" });
                        break;
                    case 'p' or 'P' when i + 1 < pattern.Length && pattern[i + 1] != '{':
                        output.Append('\\').Append(next).Append('{').Append(pattern[++i]).Append('}');
                        break;
                    case 'Q':
                        var end = pattern.IndexOf(@"\E", i + 1, StringComparison.Ordinal);
                        var literal = end < 0 ? pattern[(i + 1)..] : pattern[(i + 1)..end];
                        output.Append(inClass ? Regex.Escape(literal).Replace("]", @"\]", StringComparison.Ordinal) : Regex.Escape(literal));
                        i = end < 0 ? pattern.Length : end + 1;
                        break;
                    case 'x' when i + 1 < pattern.Length && pattern[i + 1] == '{':
                        var close = pattern.IndexOf('}', i);
                        if (close < 0 || !int.TryParse(pattern[(i + 2)..close], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code) || code > 0xFFFF)
                        {
                            refusal = @"\x{…} beyond U+FFFF is not simulated";
                            return null;
                        }
                        output.Append(CultureInfo.InvariantCulture, $@"\u{code:X4}");
                        i = close;
                        break;
                    case 'C':
                        refusal = @"\C (any byte) has no .NET equivalent";
                        return null;
                    default:
                        output.Append('\\').Append(next);
                        break;
                }
                continue;
            }
            if (inClass)
            {
                if (c == '[' && i + 1 < pattern.Length && pattern[i + 1] == ':')
                {
                    refusal = "POSIX classes like [[:alpha:]] are not simulated";
                    return null;
                }
                if (c == ']')
                {
                    inClass = false;
                }
                output.Append(c);
                continue;
            }
            switch (c)
            {
                case '[':
                    inClass = true;
                    output.Append(c);
                    // A ']' first in a class (after an optional '^') is a literal in both engines.
                    if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                    {
                        output.Append(pattern[++i]);
                    }
                    if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                    {
                        output.Append(@"\]");
                        i++;
                    }
                    break;
                case '(' when pattern.AsSpan(i).StartsWith("(?P<"):
                    output.Append("(?<");
                    i += 3;
                    break;
                case '$' when !multiline:
                    output.Append(@"\z");
                    break;
                default:
                    output.Append(c);
                    break;
            }
        }
        return output.ToString();
    }
}
