using System.Globalization;
using MeshDashboard.Mesh.Traffic;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace MeshDashboard.Components.Controls;

/// <summary>
/// The service page's chart: request rate, success rate and p99 latency per subset over the last 15 minutes, drawn
/// by MudBlazor's line chart, or why there are no figures (no data, not configured).
/// </summary>
public sealed partial class ServiceTrafficPanel
{
    private static readonly LineChartOptions Options = new() { ShowToolTips = true, LineStrokeWidth = 2 };

    private IReadOnlyList<Chart> _charts = [];
    private string[] _labels = [];

    [Parameter]
    public ServiceTraffic? Traffic { get; set; }

    protected override void OnParametersSet()
    {
        if (Traffic is not { Availability: TrafficAvailability.Live } traffic)
        {
            _charts = [];
            return;
        }
        if (traffic.Subsets.IsEmpty)
        {
            // No DestinationRule subsets: the service as a whole.
            _labels = Labels(traffic.Series);
            _charts = [ChartOf("rps", "Requests per second", [("all pods", traffic.Series)], p => p.RequestsPerSecond)];
            return;
        }
        var subsets = traffic.Subsets.Select(s => (s.Name, s.Series)).ToList();
        _labels = Labels(traffic.Subsets[0].Series);
        _charts =
        [
            ChartOf("rps", "Requests per second", subsets, p => p.RequestsPerSecond),
            ChartOf("success", "Success rate (%)", subsets, p => p.SuccessRate * 100),
            ChartOf("p99", "p99 latency (ms)", subsets, p => p.P99Ms),
        ];
    }

    /// <summary>A label every few points (how long ago), so the axis reads without crowding.</summary>
    private static string[] Labels(System.Collections.Immutable.ImmutableArray<TrafficPoint> points)
    {
        if (points.IsEmpty)
        {
            return [];
        }
        var end = points[^1].At;
        var every = Math.Max(1, points.Length / 5);
        return [.. points.Select((p, i) => (points.Length - 1 - i) % every == 0 ? Ago(end - p.At) : "")];
    }

    private static string Ago(TimeSpan ago) => ago switch
    {
        { TotalSeconds: < 1 } => "now",
        { TotalMinutes: < 2 } => "-" + ago.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + "s",
        _ => "-" + ago.TotalMinutes.ToString("0", CultureInfo.InvariantCulture) + "m",
    };

    private static Chart ChartOf(string key, string title, IEnumerable<(string Name, System.Collections.Immutable.ImmutableArray<TrafficPoint> Series)> subsets, Func<TrafficPoint, double?> value) =>
        new(key, title, [.. subsets.Select(s => new ChartSeries<double> { Name = s.Name, Data = new ChartData<double>([.. s.Series.Select(value)]) })]);

    private sealed record Chart(string Key, string Title, List<ChartSeries<double>> Series);
}
