using System.Globalization;
using System.Text.RegularExpressions;

namespace MeshDashboard.Sandbox.Admission;

/// <summary>Durations as Istio's CRDs accept them: Go syntax such as <c>1.5s</c>, <c>100ms</c>, <c>1m30s</c>.</summary>
public static partial class GoDuration
{
    [GeneratedRegex(@"^(?:(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex Whole();

    [GeneratedRegex(@"(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h)")]
    private static partial Regex Part();

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text) || !Whole().IsMatch(text))
        {
            return false;
        }
        double ticks = 0;
        foreach (Match m in Part().Matches(text))
        {
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            ticks += m.Groups[2].Value switch
            {
                "ns" => value / 100,
                "us" or "µs" => value * 10,
                "ms" => value * TimeSpan.TicksPerMillisecond,
                "s" => value * TimeSpan.TicksPerSecond,
                "m" => value * TimeSpan.TicksPerMinute,
                _ => value * TimeSpan.TicksPerHour,
            };
        }
        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }
}
