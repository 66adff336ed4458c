using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Model;

namespace MeshDashboard.Benchmarks;

/// <summary>
/// What one event or edit costs once the mesh is synced (issue: work proportional to what changed). Each benchmark
/// starts from the catalog of the same mesh: one pod's readiness flips (the overview's rows follow), one
/// VirtualService changes, and an edit of one service is planned and its findings computed as the preview does.
/// Compare the sizes: a cost that stays flat from 500 to 5,000 services is proportional to the event.
/// </summary>
[MemoryDiagnoser]
public class WatchEventBenchmarks
{
    private MeshCatalog _catalog = null!;
    private KubeObject _pod = null!;
    private KubeObject _virtualService = null!;
    private ImmutableServiceRows _rows = null!;
    private bool _ready = true;

    [Params(500, 2_000, 5_000)]
    public int Services { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var snapshot = LargeMesh.Build(Services);
        _catalog = MeshCatalog.Build(snapshot);
        _pod = snapshot.Of(ResourceKind.Pod).ElementAt(snapshot.Count(ResourceKind.Pod) / 2);
        _virtualService = snapshot.Of(ResourceKind.VirtualService).ElementAt(Services / 2);
        _rows = new ImmutableServiceRows(_catalog.Services.Select(ServiceRow.Of).ToArray());
    }

    [Benchmark]
    public int PodReadinessFlips_CatalogAndOverviewRows()
    {
        _ready = !_ready;
        var raw = _pod.CloneRaw();
        raw["status"] = JsonNode.Parse($$"""{"conditions":[{"type":"Ready","status":"{{(_ready ? "True" : "False")}}"}]}""");
        var pod = new KubeObject(ResourceKind.Pod, raw);
        var next = _catalog.Next(_catalog.Snapshot.With(pod), [pod.Ref]);
        // What an open overview does with the new state: map to rows (made once per service object) and compare.
        var rows = next.Services.Select(ServiceRow.Of).ToArray();
        return _rows.CountChanged(rows);
    }

    [Benchmark]
    public int VirtualServiceChanges_Catalog()
    {
        var raw = _virtualService.CloneRaw();
        raw["spec"]!["http"]![0]!["route"]![0]!["weight"] = _ready ? 80 : 90;
        _ready = !_ready;
        var vs = new KubeObject(ResourceKind.VirtualService, raw);
        return _catalog.Next(_catalog.Snapshot.With(vs), [vs.Ref]).ServiceCount;
    }

    [Benchmark]
    public int PreviewOfAWeightsEdit()
    {
        var service = new ObjectRef(ResourceKind.Service, _virtualService.Namespace, _virtualService.Name);
        var plan = new SetWeights(service, new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }).Plan(_catalog.Snapshot);
        var after = plan.Changes.Aggregate(_catalog.Snapshot, (s, c) => s.With(new KubeObject(c.Target.Kind, c.After!)));
        MeshIndex.Remember(_catalog.Index.With(after, plan.Changes.Select(c => c.Target)));
        return ServiceCatalog.Find(after, service.Namespace, service.Name)!.Findings.Length;
    }

    /// <summary>The rows an overview holds; counts how many a new state changed (by reference first, as the page compares).</summary>
    private sealed class ImmutableServiceRows(ServiceRow[] rows)
    {
        public int CountChanged(ServiceRow[] next)
        {
            var changed = 0;
            for (var i = 0; i < next.Length; i++)
            {
                if (i >= rows.Length || !ReferenceEquals(rows[i], next[i]))
                {
                    changed++;
                }
            }
            return changed;
        }
    }
}
