using System.Globalization;

namespace MeshDashboard.Mesh.Traffic;

/// <summary>
/// The window figures are computed over, written as Prometheus writes a range (<c>30s</c>, <c>5m</c>, <c>1h</c>).
/// We accept one number and one unit of s, m or h, between 10 seconds and 6 hours: shorter than a few scrapes says
/// nothing, longer would ask Prometheus to scan hours of samples on every refresh.
/// </summary>
public sealed record MetricsWindow
{
    public static readonly TimeSpan Shortest = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Longest = TimeSpan.FromHours(6);

    public static MetricsWindow Default { get; } = new(TimeSpan.FromMinutes(1), "1m");

    private MetricsWindow(TimeSpan duration, string text)
    {
        Duration = duration;
        Text = text;
    }

    public TimeSpan Duration { get; }

    /// <summary>The window as written in PromQL's range selector.</summary>
    public string Text { get; }

    /// <summary>Null when <paramref name="text"/> is not a window we accept; <paramref name="error"/> then says which rule it breaks.</summary>
    public static MetricsWindow? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return Default;
        }
        text = text.Trim();
        var unit = text[^1];
        if (text.Length < 2 || unit is not ('s' or 'm' or 'h') || !int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            error = "must be a whole number followed by s, m or h, for example 5m";
            return null;
        }
        var duration = unit switch { 's' => TimeSpan.FromSeconds(amount), 'm' => TimeSpan.FromMinutes(amount), _ => TimeSpan.FromHours(amount) };
        if (duration < Shortest || duration > Longest)
        {
            error = "must be between 10s and 6h";
            return null;
        }
        return new MetricsWindow(duration, string.Create(CultureInfo.InvariantCulture, $"{amount}{unit}"));
    }

    public override string ToString() => Text;
}
