using MeshDashboard.Cluster.Client;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Traffic;

namespace MeshDashboard.Cluster.Metrics;

/// <summary>
/// Live traffic figures for pages and the API: one narrow interface whatever the source (Prometheus, the sandbox's own
/// simulator, or none). Never throws for an outage and never waits longer than the configured timeout: a failing or
/// slow source answers <see cref="TrafficAvailability.NoData"/> with the reason.
/// </summary>
public interface ITrafficMetrics
{
    /// <summary><c>prometheus</c>, <c>sandbox</c> or <c>none</c>.</summary>
    string Source { get; }

    /// <summary>How often figures change at most; pages refresh on this beat.</summary>
    TimeSpan RefreshInterval { get; }

    Task<ServiceTraffic> GetServiceAsync(MeshState state, MeshService service, MetricsWindow window, CancellationToken cancellationToken);

    Task<MeshTraffic> GetMeshAsync(MetricsWindow window, CancellationToken cancellationToken);
}

/// <summary>What a service read asks of a source: the service, the window of each figure, and the span of the series.</summary>
public sealed record ServiceTrafficQuery(string Namespace, string Name, string Fqdn, MetricsWindow Window, DateTimeOffset End, TimeSpan Range, TimeSpan Step);

/// <summary>
/// Where rates come from: Prometheus over HTTP, or the sandbox's simulator in process. A source may throw; the shared
/// reader (<see cref="ITrafficMetrics"/>) turns failures into "no data", caches, and keeps to the budget.
/// </summary>
public interface ITrafficSource
{
    string Name { get; }

    /// <summary>Samples from <c>End - Range</c> to <c>End</c> every <c>Step</c>, oldest first; the last is "now".</summary>
    Task<IReadOnlyList<TrafficSample>> ReadServiceAsync(ServiceTrafficQuery query, CancellationToken cancellationToken);

    /// <summary>Every service's request rates by response code over the window ending at <paramref name="at"/>.</summary>
    Task<IReadOnlyList<ServiceRequestRate>> ReadMeshAsync(MetricsWindow window, DateTimeOffset at, CancellationToken cancellationToken);
}
