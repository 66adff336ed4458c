using System.Globalization;
using MeshDashboard.Mesh.Traffic;

namespace MeshDashboard.Model;

/// <summary>How figures read on the pages: short, with units, and a dash for "no requests" rather than a made-up 100%.</summary>
public static class TrafficText
{
    public static string Rps(double value) => value switch
    {
        0 => "0 rps",
        < 10 => value.ToString("0.##", CultureInfo.InvariantCulture) + " rps",
        _ => value.ToString("0.#", CultureInfo.InvariantCulture) + " rps",
    };

    public static string Success(double? rate) => rate is { } r ? (r * 100).ToString(r >= 0.999 || r == 0 ? "0.#" : "0.0", CultureInfo.InvariantCulture) + "% ok" : "– ok";

    public static string ErrorRate(double? rate) => rate is { } r ? (r * 100).ToString("0.#", CultureInfo.InvariantCulture) + "% errors" : "–";

    public static string Latency(double? ms) => ms is { } m ? (m >= 1000 ? (m / 1000).ToString("0.##", CultureInfo.InvariantCulture) + " s" : m.ToString("0", CultureInfo.InvariantCulture) + " ms") : "–";

    public static string Figures(TrafficFigures figures) =>
        $"{Rps(figures.RequestsPerSecond)} · {Success(figures.SuccessRate)} · p99 {Latency(figures.P99Ms)}";

    /// <summary>Where figures come from and over which window, for a caption.</summary>
    public static string Source(string source, MetricsWindow window) => source switch
    {
        TrafficSources.Prometheus => $"from Prometheus, last {window.Text}",
        TrafficSources.Sandbox => $"simulated by the sandbox, last {window.Text}",
        _ => "",
    };
}
