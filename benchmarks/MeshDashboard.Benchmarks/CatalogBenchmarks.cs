using BenchmarkDotNet.Attributes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Model;

namespace MeshDashboard.Benchmarks;

/// <summary>
/// What a new snapshot costs the dashboard: the catalog and the overview's rows are rebuilt once per snapshot
/// and shared by every open page. Target: 4,000 services well under a second, so the overview stays live.
/// </summary>
[MemoryDiagnoser]
public class CatalogBenchmarks
{
    private MeshSnapshot _snapshot = MeshSnapshot.Empty;

    [Params(1_000, 4_000)]
    public int Services { get; set; }

    [GlobalSetup]
    public void Setup() => _snapshot = LargeMesh.Build(Services);

    [Benchmark]
    public int BuildCatalog() => ServiceCatalog.Build(_snapshot).Length;

    [Benchmark]
    public int BuildOverviewRows() => ServiceCatalog.Build(_snapshot).Select(ServiceRow.From).Count();

    [Benchmark]
    public int ApplyOneChange()
    {
        // A watch event: one VirtualService changes; the snapshot shares everything else.
        var vs = _snapshot.Of(ResourceKind.VirtualService).First();
        return _snapshot.With(new KubeObject(ResourceKind.VirtualService, vs.CloneRaw())).Count(ResourceKind.VirtualService);
    }
}
