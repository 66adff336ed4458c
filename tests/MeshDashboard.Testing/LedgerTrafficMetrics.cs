using MeshDashboard.Cluster.Client;
using MeshDashboard.Cluster.Metrics;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Traffic;
using MeshDashboard.Sandbox.Traffic;

namespace MeshDashboard.Testing;

/// <summary>
/// The sandbox simulator's own figures, read on the test's clock with no cache: what the dashboard's embedded reader
/// computes (the same ledger and subset aggregation), without its refresh interval between a tick and the figures.
/// </summary>
public sealed class LedgerTrafficMetrics(TrafficLedger ledger, TimeProvider time) : ITrafficMetrics
{
    public string Source => TrafficSources.Sandbox;

    public TimeSpan RefreshInterval => TimeSpan.FromSeconds(1);

    public Task<ServiceTraffic> GetServiceAsync(MeshState state, MeshService service, MetricsWindow window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var samples = ledger.ReadService("destination", service.Namespace, service.Name, window.Duration, now, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        return Task.FromResult(SubsetVersions.Aggregate(Source, window, service, state.PodsOf(service), [.. samples], now));
    }

    public Task<MeshTraffic> GetMeshAsync(MetricsWindow window, CancellationToken cancellationToken) =>
        Task.FromResult(MeshTraffic.From(Source, window, time.GetUtcNow(), ledger.ReadMesh("destination", window.Duration)));
}
