using MeshDashboard.Cluster.Metrics;
using MeshDashboard.Mesh.Traffic;
using MeshDashboard.Sandbox.Traffic;
using Microsoft.Extensions.Options;

namespace MeshDashboard.Hosting;

/// <summary>
/// The embedded default: in Sandbox mode without a Prometheus, figures come straight from the sandbox's simulator,
/// through the same shared reader (cache, budget, subsets) as Prometheus's, with the same reporter setting.
/// </summary>
internal sealed class SandboxTrafficSource(TrafficLedger ledger, IOptions<MetricsOptions> options) : ITrafficSource
{
    public string Name => TrafficSources.Sandbox;

    public Task<IReadOnlyList<TrafficSample>> ReadServiceAsync(ServiceTrafficQuery query, CancellationToken cancellationToken) =>
        Task.FromResult(ledger.ReadService(options.Value.Reporter, query.Namespace, query.Name, query.Window.Duration, query.End, query.Range, query.Step));

    public Task<IReadOnlyList<ServiceRequestRate>> ReadMeshAsync(MetricsWindow window, DateTimeOffset at, CancellationToken cancellationToken) =>
        Task.FromResult(ledger.ReadMesh(options.Value.Reporter, window.Duration));
}
