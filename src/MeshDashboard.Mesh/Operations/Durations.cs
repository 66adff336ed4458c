using System.Globalization;
using System.Text.RegularExpressions;

namespace MeshDashboard.Mesh.Operations;

/// <summary>Go-style durations as Istio writes them: <c>5s</c>, <c>100ms</c>, <c>1m30s</c>, <c>1.5h</c>.</summary>
public static partial class Durations
{
    [GeneratedRegex(@"^(?:(\d+(?:\.\d+)?|\.\d+)(h|m|s|ms|us|µs|ns))+$")]
    private static partial Regex Whole();

    [GeneratedRegex(@"(\d+(?:\.\d+)?|\.\d+)(h|ms|m|s|us|µs|ns)")]
    private static partial Regex Part();

    /// <summary>Go's (and so Envoy's and istiod's) longest duration: int64 nanoseconds, about 292 years.</summary>
    private const double MaxMilliseconds = long.MaxValue / 1_000_000.0;

    /// <summary>The duration, or null when the text is not one or is longer than Go can represent.</summary>
    public static TimeSpan? Parse(string text) => Milliseconds(text) is { } ms and <= MaxMilliseconds ? TimeSpan.FromMilliseconds(ms) : null;

    private static double? Milliseconds(string text)
    {
        if (!Whole().IsMatch(text))
        {
            return null;
        }
        double ms = 0;
        foreach (Match part in Part().Matches(text))
        {
            var value = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            ms += part.Groups[2].Value switch
            {
                "h" => value * 3_600_000,
                "m" => value * 60_000,
                "s" => value * 1000,
                "ms" => value,
                "us" or "µs" => value / 1000,
                _ => value / 1_000_000,
            };
        }
        return ms;
    }

    /// <summary>
    /// The duration in whole nanoseconds, computed exactly (Go truncates each part's fraction to a nanosecond): what
    /// istiod's "only durations to ms precision are supported" is checked against. Null when the text is not a duration.
    /// </summary>
    private static decimal? Nanoseconds(string text)
    {
        if (!Whole().IsMatch(text))
        {
            return null;
        }
        decimal ns = 0;
        try
        {
            foreach (Match part in Part().Matches(text))
            {
                var value = decimal.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
                decimal unit = part.Groups[2].Value switch
                {
                    "h" => 3_600_000_000_000m,
                    "m" => 60_000_000_000m,
                    "s" => 1_000_000_000m,
                    "ms" => 1_000_000m,
                    "us" or "µs" => 1_000m,
                    _ => 1m,
                };
                ns += decimal.Truncate(value * unit);
            }
        }
        catch (OverflowException)
        {
            return null;
        }
        return ns;
    }

    /// <summary>Adds an error unless <paramref name="text"/> is a duration of at least 1ms.</summary>
    internal static void Validate(string? text, string field, List<FieldError> errors)
    {
        if (text is not null && Problem(text) is { } problem)
        {
            errors.Add(new FieldError(field, problem));
        }
    }

    /// <summary>
    /// Null when istiod accepts <paramref name="text"/> where it checks a duration (istio/istio
    /// pkg/config/validation/agent/validation.go, <c>ValidateDuration</c>: at least 1ms, whole milliseconds), else why not.
    /// </summary>
    public static string? Problem(string text)
    {
        var ms = Milliseconds(text);
        var parsed = Parse(text);
        if (ms > MaxMilliseconds)
        {
            return $"duration {text} is longer than the longest duration Istio accepts (about 292 years)";
        }
        if (parsed is null)
        {
            return $"\"{text}\" is not a duration (use e.g. 5s, 100ms, 1m30s)";
        }
        if (parsed.Value < TimeSpan.FromMilliseconds(1))
        {
            return $"duration {text} is below the minimum of 1ms";
        }
        if (Nanoseconds(text) is { } ns && ns % 1_000_000m != 0)
        {
            // istiod's ValidateDuration (pkg/config/validation/agent) refuses durations finer than a millisecond.
            return $"duration {text} is not a whole number of milliseconds; Istio accepts millisecond precision only";
        }
        return null;
    }

    /// <summary>The duration in whole nanoseconds as Go reads it (each part's fraction truncated), or null when it is not one.</summary>
    public static decimal? TotalNanoseconds(string text) => Nanoseconds(text);
}
