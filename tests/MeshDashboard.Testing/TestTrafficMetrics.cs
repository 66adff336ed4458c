using System.Collections.Immutable;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Cluster.Metrics;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Traffic;

namespace MeshDashboard.Testing;

/// <summary>
/// Figures set by the test: per service (namespace/name) the subsets' figures, and per service the overview's.
/// Unset services read as live and idle. <see cref="Unavailable"/> makes every read answer that way.
/// </summary>
public sealed class TestTrafficMetrics : ITrafficMetrics
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public Dictionary<(string Namespace, string Name), Dictionary<string, TrafficFigures>> Subsets { get; } = [];

    public Dictionary<(string Namespace, string Name), TrafficFigures> Services { get; } = [];

    public (TrafficAvailability Availability, string Reason)? Unavailable { get; set; }

    public string Source => TrafficSources.Sandbox;

    /// <summary>Long, so a test's figures change only when the test re-renders.</summary>
    public TimeSpan RefreshInterval => TimeSpan.FromHours(1);

    public Task<ServiceTraffic> GetServiceAsync(MeshState state, MeshService service, MetricsWindow window, CancellationToken cancellationToken)
    {
        if (Unavailable is { } unavailable)
        {
            return Task.FromResult(ServiceTraffic.Unavailable(Source, window, unavailable.Availability, unavailable.Reason, At));
        }
        var figures = Subsets.GetValueOrDefault((service.Namespace, service.Name)) ?? [];
        var total = figures.Values.Sum(f => f.RequestsPerSecond);
        return Task.FromResult(new ServiceTraffic
        {
            Source = Source,
            Window = window,
            Availability = TrafficAvailability.Live,
            At = At,
            Service = new TrafficFigures(total, null, null, null, null),
            Subsets = [.. service.Subsets.Select(s =>
            {
                var f = figures.GetValueOrDefault(s.Name) ?? TrafficFigures.Idle;
                ImmutableArray<TrafficPoint> series = [new(At.AddMinutes(-1), f.RequestsPerSecond, f.SuccessRate, f.P99Ms), new(At, f.RequestsPerSecond, f.SuccessRate, f.P99Ms)];
                return new SubsetTraffic(s.Name, f, total > 0 ? f.RequestsPerSecond / total : null, series);
            })],
        });
    }

    public Task<MeshTraffic> GetMeshAsync(MetricsWindow window, CancellationToken cancellationToken) =>
        Task.FromResult(Unavailable is { } unavailable
            ? MeshTraffic.Unavailable(Source, window, unavailable.Availability, unavailable.Reason, At)
            : new MeshTraffic { Source = Source, Window = window, Availability = TrafficAvailability.Live, At = At, Services = Services.ToImmutableDictionary() });
}
